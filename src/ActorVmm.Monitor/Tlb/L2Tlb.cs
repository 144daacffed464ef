using ActorVmm.Cpu;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>What the L2 TLB made of a machine-TLB miss.</summary>
public enum L2Outcome : byte
{
    /// <summary>Served: the machine TLB now maps the page; the access is retried without entering the guest.</summary>
    Refilled,

    /// <summary>The guest's own TLB does not translate it either: reflect <see cref="L2Result.GuestException"/> to the guest.</summary>
    GuestTlbException,

    /// <summary>The guest maps it, but the vCPU has no machine page for <see cref="L2Result.Page"/> yet: ask the memory manager.</summary>
    NeedPage,

    /// <summary>The guest maps the device page: the access is emulated (offset in <see cref="L2Result.DeviceOffset"/>).</summary>
    Device,

    /// <summary>The guest maps a page outside its memory (or fetches from the device page): a bus error.</summary>
    BusError,

    /// <summary>A store to a page the VM shares copy-on-write (the guest's entry allows it): ask the memory manager for a copy of <see cref="L2Result.Page"/>.</summary>
    CopyOnWrite,

    /// <summary>
    /// The guest's TLB does not translate it, but <see cref="L2TlbHistory"/> keeps the entry the
    /// guest last wrote for it (<see cref="L2TlbMode.Disco"/>): the monitor may do the guest's
    /// refill for it (<see cref="L2Result.Kept"/>, <see cref="L2Result.GuestException"/> is the refill).
    /// </summary>
    HistoryHit,
}

/// <param name="Mpn">For <see cref="L2Outcome.Refilled"/>: the machine page installed.</param>
/// <param name="Kept">For <see cref="L2Outcome.HistoryHit"/>: the entry to refill the guest's TLB with.</param>
public readonly record struct L2Result(L2Outcome Outcome, GuestException GuestException = default, Ppn Page = default, Mpn Mpn = default, uint DeviceOffset = 0, TlbEntry Kept = default);

/// <summary>
/// Disco's second-level software TLB: the guest's virtual TLB (VPN→PPN) plus the memory
/// manager's answers (PPN→MPN) kept by the vCPU. A machine-TLB miss whose address the guest's
/// own TLB translates is served here, without entering the guest; only a miss the guest's TLB
/// would also take reaches the guest, as a refill, invalid or modified exception exactly as on
/// the bare board. With <see cref="L2TlbMode.Disco"/> it also keeps what the guest's TLB has
/// evicted (<see cref="History"/>), so that the monitor can do the guest's refills itself.
/// </summary>
public sealed class L2Tlb(VirtualTlb guest, GuestPageCache pages, MachineTlbShadow machine, DirtyPageTracker dirty, L2TlbHistory? history = null)
{
    public long Hits { get; set; }

    public GuestPageCache Pages => pages;

    /// <summary>The evicted entries (<see cref="L2TlbMode.Disco"/>), or null (<see cref="L2TlbMode.Exact"/>).</summary>
    public L2TlbHistory? History => history;

    public L2TlbMode Mode => history is null ? L2TlbMode.Exact : L2TlbMode.Disco;

    /// <summary>Serve a machine-TLB miss (TLBL, TLBS or Mod) taken with the guest's ASID <paramref name="asid"/>.</summary>
    public L2Result Serve(in GuestException e, uint asid)
    {
        uint va = e.BadVAddr;
        bool store = e.Code != ExcCode.TlbL;
        int index = guest.Lookup(va, asid);
        if (index < 0)
        {
            var refill = e with { Code = store ? ExcCode.TlbS : ExcCode.TlbL, IsTlbRefill = true };
            if (history is not null && history.TryFind(va, asid, out var kept))
            {
                var keptPpn = Ppn.Of(kept.PhysicalAddress(va, kept.EntryLoFor(va)));
                if (!pages.TryGet(keptPpn, out var keptPage))
                {
                    return new L2Result(L2Outcome.NeedPage, Page: keptPpn);
                }

                if (keptPage.Kind == GuestPageKind.Memory)
                {
                    return new L2Result(L2Outcome.HistoryHit, refill, keptPpn, keptPage.Mpn, Kept: kept);
                }
            }

            return new L2Result(L2Outcome.GuestTlbException, refill);
        }

        var entry = guest[index];
        uint lo = entry.EntryLoFor(va);
        if ((lo & EntryLoBits.V) == 0)
        {
            return new L2Result(L2Outcome.GuestTlbException, e with { Code = store ? ExcCode.TlbS : ExcCode.TlbL, IsTlbRefill = false });
        }

        if (store && (lo & EntryLoBits.D) == 0)
        {
            return new L2Result(L2Outcome.GuestTlbException, e with { Code = ExcCode.Mod, IsTlbRefill = false });
        }

        ulong pa = entry.PhysicalAddress(va, lo);
        var ppn = Ppn.Of(pa);
        if (!pages.TryGet(ppn, out var page))
        {
            return new L2Result(L2Outcome.NeedPage, Page: ppn);
        }

        switch (page.Kind)
        {
            case GuestPageKind.Memory when store && page.Shared:
                return new L2Result(L2Outcome.CopyOnWrite, Page: ppn, Mpn: page.Mpn);
            case GuestPageKind.Memory:
                // D comes from the guest's entry: a read-only guest page stays read-only in the machine
                // TLB; so does a page shared copy-on-write, until the VM writes it. With dirty
                // tracking on, a page not yet written since the last checkpoint stays read-only
                // too, until this store (a machine Mod exception, or a store miss) writes it.
                if (store)
                {
                    dirty.Written(ppn);
                }

                machine.Install(va, page.Mpn, (lo & EntryLoBits.D) != 0 && !page.Shared && dirty.MayWrite(ppn), entry.Global, entry.Asid);
                if (entry.PageMask == 0)
                {
                    // The other page of the pair too, as the guest's own refill would load it.
                    InstallIfBacked(entry, entry.Half(odd: (va & MachinePage.Size) == 0));
                }

                Hits++;
                return new L2Result(L2Outcome.Refilled, Page: ppn, Mpn: page.Mpn);
            case GuestPageKind.Device:
                return new L2Result(L2Outcome.Device, Page: ppn, DeviceOffset: (uint)(pa & MachinePage.OffsetMask));
            default:
                return new L2Result(L2Outcome.BusError, Page: ppn);
        }
    }

    /// <summary>
    /// The guest wrote a TLB entry (already translated by the router): the virtual TLB takes it,
    /// machine entries derived from the one it replaces go, and, as Disco did, the new
    /// translation goes straight into the machine TLB so that the guest's retried access hits.
    /// </summary>
    public void Write(VirtualTlbWrite write)
    {
        var old = guest.Write(write.Index, write.Entry);
        machine.InvalidateDerivedFrom(old);
        var e = write.Entry;
        if (history is not null)
        {
            if (((e.EntryLo0 | e.EntryLo1) & EntryLoBits.V) == 0)
            {
                history.ForgetAll(); // the flush idiom: the guest may reuse its ASIDs from now on
            }
            else
            {
                history.Remember(old);
                history.Forget(e.EntryHi); // it is in the guest's TLB now (and a TLBWI may have replaced the pair)
            }
        }

        if (e.PageMask == 0)
        {
            InstallIfBacked(e, e.Half(odd: false));
            InstallIfBacked(e, e.Half(odd: true));
        }
    }

    /// <summary>
    /// A new answer from the memory manager for a page the vCPU may already have mapped (a
    /// copy-on-write copy, a page now shared, zeroed or released): machine entries that still
    /// map its old machine page go, so the next access takes the new answer.
    /// </summary>
    public void Remap(GuestPageMapping mapping)
    {
        if (pages.TryGet(mapping.Ppn, out var old) && old.Kind == GuestPageKind.Memory && (old.Mpn != mapping.Mpn || old.Shared != mapping.Shared || !mapping.IsMemory))
        {
            machine.InvalidateMachinePage(old.Mpn);
        }

        pages.Add(mapping);
    }

    /// <summary>What the vCPU already knows about the guest-physical pages a TLB write would map.</summary>
    public System.Collections.Immutable.ImmutableArray<GuestPageMapping> KnownPagesOf(in TlbEntry entry)
    {
        if (entry.PageMask != 0)
        {
            return [];  // large pages are translated page by page on use
        }

        bool even = Known(entry.Half(odd: false), out var evenPage);
        bool odd = Known(entry.Half(odd: true), out var oddPage);
        return (even, odd) switch
        {
            (true, true) => [evenPage, oddPage],
            (true, false) => [evenPage],
            (false, true) => [oddPage],
            _ => [],
        };
    }

    private bool Known(in TlbHalf half, out GuestPageMapping mapping)
    {
        mapping = default;
        return half.Valid && pages.TryGet(half.FirstPpn, out mapping);
    }

    private void InstallIfBacked(in TlbEntry entry, in TlbHalf half)
    {
        if (half.Valid && pages.TryGet(half.FirstPpn, out var page) && page.Kind == GuestPageKind.Memory)
        {
            machine.Install(half.VirtualBase, page.Mpn, half.Dirty && !page.Shared && dirty.MayWrite(half.FirstPpn), entry.Global, entry.Asid);
        }
    }
}
