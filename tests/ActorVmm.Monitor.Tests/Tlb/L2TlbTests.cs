using ActorVmm.Cpu;
using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// Disco's second-level TLB: a machine-TLB miss is served without entering the guest exactly
/// when the guest's own TLB translates the address, with the guest's permissions; otherwise
/// the guest sees the exception its own TLB would have raised.
/// </summary>
public sealed class L2TlbTests : IDisposable
{
    private const uint Va = 0x00400123;
    private const uint Asid = 5;
    private readonly MachineTlbFixture _f = new();

    [Fact]
    public void A_miss_the_guest_tlb_has_no_entry_for_is_a_guest_refill_exception()
    {
        var load = _f.L2.Serve(Miss(ExcCode.TlbL), Asid);
        var store = _f.L2.Serve(Miss(ExcCode.TlbS), Asid);

        Assert.Equal(L2Outcome.GuestTlbException, load.Outcome);
        Assert.Equal((ExcCode.TlbL, true), (load.GuestException.Code, load.GuestException.IsTlbRefill));
        Assert.Equal((ExcCode.TlbS, true), (store.GuestException.Code, store.GuestException.IsTlbRefill));
    }

    [Fact]
    public void An_entry_of_another_asid_does_not_translate_the_address()
    {
        GuestMaps(valid: true, dirty: true, asid: Asid + 1);
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x40), GuestPageKind.Memory, new Mpn(0x99)));

        var result = _f.L2.Serve(Miss(ExcCode.TlbL), Asid);

        Assert.Equal(L2Outcome.GuestTlbException, result.Outcome);
        Assert.True(result.GuestException.IsTlbRefill);
        Assert.Null(_f.MachineEntryFor(Va, Asid));
        Assert.Equal(0, _f.L2.Hits);
    }

    [Fact]
    public void An_invalid_guest_entry_is_an_invalid_exception_not_a_refill()
    {
        GuestMaps(valid: false, dirty: true);

        var result = _f.L2.Serve(Miss(ExcCode.TlbL), Asid);

        Assert.Equal((L2Outcome.GuestTlbException, ExcCode.TlbL, false), (result.Outcome, result.GuestException.Code, result.GuestException.IsTlbRefill));
    }

    [Fact]
    public void A_store_through_a_read_only_guest_entry_is_a_modified_exception()
    {
        GuestMaps(valid: true, dirty: false);

        var result = _f.L2.Serve(Miss(ExcCode.TlbS), Asid);

        Assert.Equal((L2Outcome.GuestTlbException, ExcCode.Mod), (result.Outcome, result.GuestException.Code));
    }

    [Fact]
    public void A_page_the_vcpu_has_no_machine_page_for_is_asked_of_the_memory_manager()
    {
        GuestMaps(valid: true, dirty: true);

        var result = _f.L2.Serve(Miss(ExcCode.TlbL), Asid);

        Assert.Equal((L2Outcome.NeedPage, 0x40u), (result.Outcome, result.Page.Value));
    }

    [Fact]
    public void A_known_page_is_refilled_into_the_machine_tlb_with_the_guests_dirty_bit()
    {
        GuestMaps(valid: true, dirty: false);
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x40), GuestPageKind.Memory, new Mpn(0x99)));

        var result = _f.L2.Serve(Miss(ExcCode.TlbL), Asid);

        Assert.Equal((L2Outcome.Refilled, 0x99u), (result.Outcome, result.Mpn.Value));
        var machine = _f.MachineEntryFor(Va, Asid);
        Assert.NotNull(machine);
        uint lo = machine!.Value.EntryLoFor(Va);
        Assert.Equal(0x99u, EntryLoBits.Pfn(lo));
        Assert.Equal(0u, lo & EntryLoBits.D); // read-only for the guest: read-only in the machine TLB
        Assert.Equal(1, _f.L2.Hits);
    }

    [Fact]
    public void The_device_page_is_emulated_and_a_page_outside_the_vm_is_a_bus_error()
    {
        // The device page (PPN 0x1F000) and a page beyond the VM's 1 MB (PPN 0x500), as the memory manager answered them.
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x1F000), GuestPageKind.Device, default));
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x500), GuestPageKind.OutsideVm, default));
        _f.Guest.Write(3, new TlbEntry(0x00400000 | Asid, 0, EntryLoBits.Make(0x1F000, 2, true, true, false), EntryLoBits.Make(0x500, 3, true, true, false)));

        var device = _f.L2.Serve(Miss(ExcCode.TlbS), Asid);
        Assert.Equal((L2Outcome.Device, 0x123u), (device.Outcome, device.DeviceOffset));
        var outside = _f.L2.Serve(new GuestException(ExcCode.TlbL, 0x00400100, false, 0x00401010, 0x8C820000u), Asid);
        Assert.Equal(L2Outcome.BusError, outside.Outcome);
        Assert.Null(_f.MachineEntryFor(0x00401010, Asid));
    }

    [Fact]
    public void A_guest_tlb_write_installs_its_backed_halves_and_drops_what_came_from_the_entry_it_replaced()
    {
        GuestMaps(valid: true, dirty: true);
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x40), GuestPageKind.Memory, new Mpn(0x99)));
        _f.L2.Serve(Miss(ExcCode.TlbL), Asid);
        Assert.NotNull(_f.MachineEntryFor(Va, Asid));

        // The guest overwrites slot 3 with a mapping of another page pair.
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x50), GuestPageKind.Memory, new Mpn(0xA0)));
        var next = new TlbEntry(0x00800000 | Asid, 0, EntryLoBits.Make(0x50, 3, true, true, false), 0);
        _f.L2.Write(new VirtualTlbWrite(3, next));

        Assert.Null(_f.MachineEntryFor(Va, Asid));
        Assert.Equal(0xA0u, EntryLoBits.Pfn(_f.MachineEntryFor(0x00800000, Asid)!.Value.EntryLo0));
        Assert.Equal(next, _f.Guest[3]);
    }

    [Fact]
    public void A_guest_tlb_write_installs_each_backed_half_with_its_own_dirty_bit()
    {
        // Even half read-only, odd half writable, both backed: what the machine TLB gets straight
        // from the write must keep each one's D bit, or a store to the read-only half succeeds.
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x40), GuestPageKind.Memory, new Mpn(0x99)));
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x41), GuestPageKind.Memory, new Mpn(0x9A)));
        var entry = new TlbEntry(0x00400000 | Asid, 0, EntryLoBits.Make(0x40, 3, dirty: false, valid: true, global: false), EntryLoBits.Make(0x41, 3, dirty: true, valid: true, global: false));

        _f.L2.Write(new VirtualTlbWrite(3, entry));

        var machine = _f.MachineEntryFor(0x00400000, Asid)!.Value;
        Assert.Equal((0x99u, 0u), (EntryLoBits.Pfn(machine.EntryLo0), machine.EntryLo0 & EntryLoBits.D));
        Assert.Equal((0x9Au, EntryLoBits.D), (EntryLoBits.Pfn(machine.EntryLo1), machine.EntryLo1 & EntryLoBits.D));
    }

    [Fact]
    public void The_vcpu_reports_the_pages_of_a_tlb_write_it_already_knows()
    {
        _f.Pages.Add(new GuestPageMapping(new Ppn(0x41), GuestPageKind.Memory, new Mpn(0x77)));
        var entry = new TlbEntry(0x00400000 | Asid, 0, EntryLoBits.Make(0x40, 3, true, true, false), EntryLoBits.Make(0x41, 3, true, true, false));

        Assert.Equal<GuestPageMapping>([new GuestPageMapping(new Ppn(0x41), GuestPageKind.Memory, new Mpn(0x77))], _f.L2.KnownPagesOf(entry));
    }

    public void Dispose() => _f.Dispose();

    private void GuestMaps(bool valid, bool dirty, uint asid = Asid) => _f.Guest.Write(3, Entry(valid, dirty, asid));

    /// <summary>VA 0x00400000 (even half) → guest-physical page 0x40.</summary>
    private static TlbEntry Entry(bool valid, bool dirty, uint asid) =>
        new(0x00400000 | asid, 0, EntryLoBits.Make(0x40, 3, dirty, valid, global: false), 0);

    private static GuestException Miss(ExcCode code) => new(code, 0x00400100, false, Va, code == ExcCode.TlbL ? 0x8C820000u : 0xAC820000u);
}
