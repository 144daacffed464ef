using ActorVmm.Cpu;
using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// Disco's L2 TLB (l2-tlb = disco): entries the guest's TLB evicted are kept and offered for
/// the guest's later misses, and forgotten whenever the guest may have changed the PTE behind
/// them (it probes for it, or flushes its TLB); an exact L2 TLB never offers them.
/// </summary>
public sealed class L2TlbHistoryTests : IDisposable
{
    private const uint Asid = 5;
    private const uint Va = 0x00400123;
    private readonly MachineTlbFixture _f = new(new L2TlbHistory(1024));

    public L2TlbHistoryTests()
    {
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x40), GuestPageKind.Memory, new Mpn(0x99)));
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x41), GuestPageKind.Memory, new Mpn(0x9A)));
    }

    [Fact]
    public void An_entry_the_guest_evicted_is_offered_for_its_next_miss_with_the_refill_the_guest_would_take()
    {
        _f.L2.Write(new VirtualTlbWrite(3, Pair()));
        _f.L2.Write(new VirtualTlbWrite(3, Other()));

        var hit = _f.L2.Serve(Miss(ExcCode.TlbS), Asid);

        Assert.Equal(L2Outcome.HistoryHit, hit.Outcome);
        Assert.Equal(Pair(), hit.Kept);
        Assert.Equal(0x99u, hit.Mpn.Value);
        Assert.Equal((ExcCode.TlbS, true), (hit.GuestException.Code, hit.GuestException.IsTlbRefill));
        Assert.Null(_f.MachineEntryFor(Va, Asid)); // the caller does the refill, then installs it
    }

    [Fact]
    public void The_exact_l2_tlb_keeps_nothing_the_guest_evicted()
    {
        using var exact = new MachineTlbFixture();
        exact.Pages.Add(new GuestPageMapping(new Ppn(0x40), GuestPageKind.Memory, new Mpn(0x99)));
        exact.L2.Write(new VirtualTlbWrite(3, Pair()));
        exact.L2.Write(new VirtualTlbWrite(3, Other()));

        Assert.Equal(L2Outcome.GuestTlbException, exact.L2.Serve(Miss(ExcCode.TlbL), Asid).Outcome);
    }

    [Fact]
    public void A_probe_for_the_pair_forgets_it()
    {
        var history = _f.L2.History!;
        _f.L2.Write(new VirtualTlbWrite(3, Pair()));
        _f.L2.Write(new VirtualTlbWrite(3, Other()));

        history.Forget(0x00400000 | Asid + 1); // another ASID's probe changes nothing
        Assert.Equal(L2Outcome.HistoryHit, _f.L2.Serve(Miss(ExcCode.TlbL), Asid).Outcome);
        history.Forget(0x00400000 | Asid);
        Assert.Equal(L2Outcome.GuestTlbException, _f.L2.Serve(Miss(ExcCode.TlbL), Asid).Outcome);
    }

    [Fact]
    public void A_tlb_write_of_an_invalid_entry_is_a_flush_that_forgets_everything()
    {
        _f.L2.Write(new VirtualTlbWrite(3, Pair()));
        _f.L2.Write(new VirtualTlbWrite(3, Other()));
        _f.L2.Write(new VirtualTlbWrite(4, TlbEntry.Unused(4)));

        Assert.Equal(L2Outcome.GuestTlbException, _f.L2.Serve(Miss(ExcCode.TlbL), Asid).Outcome);
    }

    [Fact]
    public void A_pair_with_an_invalid_half_is_not_kept_because_the_guest_may_fill_it_without_a_probe()
    {
        _f.L2.Write(new VirtualTlbWrite(3, Pair() with { EntryLo1 = 0 }));
        _f.L2.Write(new VirtualTlbWrite(3, Other()));

        Assert.Equal(L2Outcome.GuestTlbException, _f.L2.Serve(Miss(ExcCode.TlbL), Asid).Outcome);
    }

    [Fact]
    public void Rewriting_a_pair_in_place_keeps_no_copy_of_the_old_one()
    {
        // tlb_update: TLBP finds the pair, TLBWI rewrites it; the old contents must not come back.
        _f.L2.Write(new VirtualTlbWrite(3, Pair()));
        _f.L2.Write(new VirtualTlbWrite(3, Pair() with { EntryLo0 = EntryLoBits.Make(0x41, 3, true, true, false) }));
        _f.L2.Write(new VirtualTlbWrite(3, Other()));

        var hit = _f.L2.Serve(Miss(ExcCode.TlbL), Asid);
        Assert.Equal(0x9Au, hit.Mpn.Value);
    }

    [Fact]
    public void The_guests_refill_length_is_measured_only_on_a_refill_that_installed_a_valid_translation()
    {
        var history = _f.L2.History!;
        history.GuestRefillStarted(100, Va, Asid);
        history.GuestReturned(114, _f.Guest); // nothing installed: not the valid path
        Assert.Equal(0, history.GuestRefillLength);

        history.GuestRefillStarted(200, Va, Asid);
        _f.L2.Write(new VirtualTlbWrite(3, Pair()));
        history.GuestRefillInterrupted(); // a nested exception: not a plain refill
        history.GuestReturned(230, _f.Guest);
        Assert.Equal(0, history.GuestRefillLength);

        history.GuestRefillStarted(300, Va, Asid);
        history.GuestReturned(314, _f.Guest);
        Assert.Equal(14, history.GuestRefillLength);
    }

    public void Dispose() => _f.Dispose();

    /// <summary>VA 0x00400000/0x00401000 → guest pages 0x40/0x41, both valid and dirty.</summary>
    private static TlbEntry Pair() =>
        new(0x00400000 | Asid, 0, EntryLoBits.Make(0x40, 3, true, true, false), EntryLoBits.Make(0x41, 3, true, true, false));

    private static TlbEntry Other() =>
        new(0x00800000 | Asid, 0, EntryLoBits.Make(0x41, 3, true, true, false), EntryLoBits.Make(0x40, 3, true, true, false));

    private static GuestException Miss(ExcCode code) => new(code, 0x00400100, false, Va, code == ExcCode.TlbL ? 0x8C820000u : 0xAC820000u);
}
