using ActorVmm.Cpu;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>
/// The machine TLB under the monitor (VPN→MPN, 4 KB entries) and an index of it: the slot of
/// each entry by VPN2 and ASID (or global). The vCPU is the machine TLB's only writer under
/// the monitor, so the index is exact and a guest TLB write need not scan all the entries to
/// drop what was derived from the entry it replaces.
/// </summary>
public sealed class MachineTlbShadow(Mips32Core machine)
{
    private readonly Dictionary<ulong, int> _slots = new();
    private int _nextSlot;

    /// <summary>Map <paramref name="va"/>'s 4 KB page to <paramref name="mpn"/> in the machine TLB.</summary>
    public void Install(uint va, Mpn mpn, bool dirty, bool global, uint asid)
    {
        bool odd = (va & MachinePage.Size) != 0;
        uint lo = EntryLoBits.Make(mpn.Value, EntryLoBits.CacheCacheable, dirty, valid: true, global);
        if (_slots.TryGetValue(Key(va, global, asid), out int existing))
        {
            var m = machine.Tlb[existing];
            Write(existing, odd ? m with { EntryLo1 = lo } : m with { EntryLo0 = lo });
            return;
        }

        uint empty = global ? EntryLoBits.G : 0;
        int slot = _nextSlot;
        _nextSlot = (slot + 1) % machine.Tlb.Size;
        uint vpn2 = va & EntryHiBits.Vpn2Mask;
        Write(slot, new TlbEntry(vpn2 | (global ? 0 : asid), 0, odd ? empty : lo, odd ? lo : empty));
    }

    /// <summary>Machine entries derived from a guest entry the guest has just overwritten must go.</summary>
    public void InvalidateDerivedFrom(in TlbEntry old)
    {
        if (old.PageMask == 0 && !old.Global)
        {
            // The usual case, a process's 4 KB pair: at most its own and a global machine entry.
            Remove(Key(old.VirtualBase, global: false, old.Asid));
            Remove(Key(old.VirtualBase, global: true, 0));
            return;
        }

        ulong oldStart = old.VirtualBase;
        ulong oldEnd = oldStart + (2UL * old.PageSize);
        var tlb = machine.Tlb;
        for (int i = 0; i < tlb.Size; i++)
        {
            var m = tlb[i];
            ulong start = m.VirtualBase;
            ulong end = start + (2UL * m.PageSize);
            if (start < oldEnd && oldStart < end && (old.Global || m.Global || m.Asid == old.Asid))
            {
                Write(i, TlbEntry.Unused(i));
            }
        }
    }

    /// <summary>
    /// Clear D in every machine entry (a checkpoint was taken): the next store to each page
    /// takes a TLB Modified exception, which dirty tracking notes. The entries stay valid, so
    /// loads go on hitting.
    /// </summary>
    public void RevokeWrites()
    {
        var tlb = machine.Tlb;
        for (int i = 0; i < tlb.Size; i++)
        {
            var m = tlb[i];
            if (((m.EntryLo0 | m.EntryLo1) & EntryLoBits.D) != 0)
            {
                Write(i, m with { EntryLo0 = m.EntryLo0 & ~EntryLoBits.D, EntryLo1 = m.EntryLo1 & ~EntryLoBits.D });
            }
        }
    }

    /// <summary>Machine entries that map <paramref name="mpn"/> lose that half (the page was remapped under the VM).</summary>
    public void InvalidateMachinePage(Mpn mpn)
    {
        var tlb = machine.Tlb;
        for (int i = 0; i < tlb.Size; i++)
        {
            var m = tlb[i];
            bool even = (m.EntryLo0 & EntryLoBits.V) != 0 && EntryLoBits.Pfn(m.EntryLo0) == mpn.Value;
            bool odd = (m.EntryLo1 & EntryLoBits.V) != 0 && EntryLoBits.Pfn(m.EntryLo1) == mpn.Value;
            if (!even && !odd)
            {
                continue;
            }

            uint empty = m.Global ? EntryLoBits.G : 0;
            var rest = m with { EntryLo0 = even ? empty : m.EntryLo0, EntryLo1 = odd ? empty : m.EntryLo1 };
            Write(i, ((rest.EntryLo0 | rest.EntryLo1) & EntryLoBits.V) == 0 ? TlbEntry.Unused(i) : rest);
        }
    }

    /// <summary>Invalidate every machine entry (a machine switch).</summary>
    public void Flush()
    {
        machine.FlushTlb();
        _slots.Clear();
    }

    private void Remove(ulong key)
    {
        if (_slots.TryGetValue(key, out int slot))
        {
            Write(slot, TlbEntry.Unused(slot));
        }
    }

    private static ulong Key(uint va, bool global, uint asid) =>
        ((ulong)(va & EntryHiBits.Vpn2Mask) << 9) | (global ? 0x100u : asid);

    private static bool IsUnused(in TlbEntry entry) => (entry.EntryLo0 | entry.EntryLo1) == 0 && entry.VirtualBase >= 0x80000000;

    /// <summary>Every machine TLB write goes through here, so that the index stays exact.</summary>
    private void Write(int slot, TlbEntry entry)
    {
        var old = machine.Tlb[slot];
        if (!IsUnused(old))
        {
            ulong oldKey = Key(old.VirtualBase, old.Global, old.Asid);
            if (_slots.TryGetValue(oldKey, out int indexed) && indexed == slot)
            {
                _slots.Remove(oldKey);
            }
        }

        machine.WriteTlb(slot, entry);
        if (!IsUnused(entry))
        {
            _slots[Key(entry.VirtualBase, entry.Global, entry.Asid)] = slot;
        }
    }
}
