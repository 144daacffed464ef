using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// What makes Disco's L2 TLB larger than the guest's: the guest's 4 KB, non-global entries it
/// has overwritten in its own TLB, kept so that a later miss on one of them can be refilled by
/// the monitor instead of the guest's handler (<see cref="L2TlbMode.Disco"/>), and the length
/// of that handler, measured on the guest's own refills so that the guest's clock advances as
/// if it had run.
/// <para>
/// A kept entry is still the guest's translation only while the guest has not changed the page
/// table behind it. A guest OS changes a PTE its TLB may cache after probing for it (TLBP,
/// then TLBWI), or retires the ASID until it flushes its TLB with invalid entries; so a probe
/// forgets that entry, a TLB write of an invalid entry forgets them all, and an entry with an
/// invalid half (which the OS may fill without a probe: demand-zero) is never served. The
/// guest kernels of this repository keep to that discipline (docs/HYPERCALLS.md); a guest that
/// does not would see stale translations, which is why this is an option.
/// </para>
/// Direct-mapped by VPN2 and ASID: a fixed table, no allocation per miss, the same contents on
/// every run.
/// </summary>
public sealed class L2TlbHistory
{
    private readonly TlbEntry[] _entries;
    private readonly bool[] _used;
    private readonly int _mask;
    private long _refillStart = -1;
    private uint _refillVa;
    private uint _refillAsid;

    public L2TlbHistory(int entries)
    {
        if (entries < 1 || (entries & (entries - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entries), "the L2 TLB's size must be a power of two");
        }

        _entries = new TlbEntry[entries];
        _used = new bool[entries];
        _mask = entries - 1;
    }

    public int Size => _entries.Length;

    /// <summary>Guest instructions its refill handler retired the last time it installed a valid translation (0: not yet seen).</summary>
    public long GuestRefillLength { get; private set; }

    /// <summary>An entry the guest overwrote in its own TLB (only 4 KB, non-global, fully valid entries are worth keeping).</summary>
    public void Remember(in TlbEntry entry)
    {
        if (!Servable(entry))
        {
            return;
        }

        int slot = Slot(entry.VirtualBase, entry.Asid);
        _entries[slot] = entry;
        _used[slot] = true;
    }

    /// <summary>The guest probed for, or wrote, the pair of <paramref name="entryHi"/>: a kept copy may be stale.</summary>
    public void Forget(uint entryHi)
    {
        int slot = Slot(entryHi & EntryHiBits.Vpn2Mask, entryHi & EntryHiBits.AsidMask);
        if (_used[slot] && ((_entries[slot].EntryHi ^ entryHi) & EntryHiBits.WritableMask) == 0)
        {
            _used[slot] = false;
        }
    }

    /// <summary>The guest flushed its TLB (wrote an entry that can match nothing): it may reuse ASIDs now.</summary>
    public void ForgetAll() => Array.Clear(_used);

    /// <summary>The kept entry that translates <paramref name="va"/> for <paramref name="asid"/>.</summary>
    public bool TryFind(uint va, uint asid, out TlbEntry entry)
    {
        int slot = Slot(va & EntryHiBits.Vpn2Mask, asid);
        entry = _entries[slot];
        return _used[slot] && entry.Matches(va, asid);
    }

    /// <summary>A TLB refill was reflected to the guest's refill vector at <paramref name="retired"/> instructions.</summary>
    public void GuestRefillStarted(long retired, uint va, uint asid)
    {
        _refillStart = retired;
        _refillVa = va;
        _refillAsid = asid;
    }

    /// <summary>Another exception was reflected before the refill returned: that refill is not a plain one.</summary>
    public void GuestRefillInterrupted() => _refillStart = -1;

    /// <summary>The guest's ERET retired (<paramref name="retired"/> instructions so far); <paramref name="tlb"/> is its TLB now.</summary>
    public void GuestReturned(long retired, VirtualTlb tlb)
    {
        if (_refillStart < 0)
        {
            return;
        }

        // Only a refill that installed a valid translation of the address that missed is the
        // path a kept (valid) entry stands for.
        int index = tlb.Lookup(_refillVa, _refillAsid);
        if (index >= 0 && (tlb[index].EntryLoFor(_refillVa) & EntryLoBits.V) != 0)
        {
            GuestRefillLength = retired - _refillStart;
        }

        _refillStart = -1;
    }

    public static bool Servable(in TlbEntry entry) =>
        entry.PageMask == 0 && !entry.Global
        && (entry.EntryLo0 & entry.EntryLo1 & EntryLoBits.V) != 0;

    private int Slot(uint vpn2, uint asid) => (int)(((vpn2 >> 13) ^ (asid * 0x9E3779B1u >> 22)) & (uint)_mask);
}
