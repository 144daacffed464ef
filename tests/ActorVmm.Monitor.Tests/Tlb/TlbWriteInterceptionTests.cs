using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>Which guest-physical pages an intercepted TLB write must have turned into machine pages.</summary>
public sealed class TlbWriteInterceptionTests
{
    [Theory]
    [InlineData(true, true, new uint[] { 0x100, 0x2A0 })]
    [InlineData(true, false, new uint[] { 0x100 })]
    [InlineData(false, true, new uint[] { 0x2A0 })]
    [InlineData(false, false, new uint[0])]
    public void A_4K_entry_needs_the_pages_of_its_valid_halves(bool valid0, bool valid1, uint[] expected)
    {
        Assert.Equal(expected, TlbWriteInterception.PagesOf(Pair(valid0, valid1)).Select(p => p.Value));
    }

    [Fact]
    public void A_large_page_entry_needs_none_now_its_pages_are_translated_on_first_use()
    {
        var window = new TlbEntry(0xC0000000, 0x01FFE000, EntryLoBits.Make(0, 3, true, true, true), EntryLoBits.Make(0x1000, 3, true, true, true));

        Assert.Empty(TlbWriteInterception.PagesOf(window));
        Assert.Empty(TlbWriteInterception.PagesToTranslate(window, []));
    }

    [Fact]
    public void Pages_the_vcpu_already_knows_are_not_asked_again()
    {
        var entry = Pair(true, true);
        var known = ImmutableArray.Create(new GuestPageMapping(new Ppn(0x2A0), GuestPageKind.Memory, new Mpn(7)));

        Assert.Equal([0x100u], TlbWriteInterception.PagesToTranslate(entry, known).Select(p => p.Value));
        Assert.Empty(TlbWriteInterception.PagesToTranslate(entry, known.Add(new GuestPageMapping(new Ppn(0x100), GuestPageKind.Memory, new Mpn(9)))));
    }

    [Fact]
    public void The_trace_names_the_machine_page_of_each_half_among_the_answers()
    {
        var entry = Pair(true, true);
        var pages = ImmutableArray.Create(
            new GuestPageMapping(new Ppn(0x100), GuestPageKind.Memory, new Mpn(0x31)),
            new GuestPageMapping(new Ppn(0x2A0), GuestPageKind.OutsideVm, default));

        Assert.Equal(0x31u, TlbWriteInterception.MachinePageOf(entry.Half(odd: false), pages));
        Assert.Equal(Tracing.TraceRecord.NoPage, TlbWriteInterception.MachinePageOf(entry.Half(odd: true), pages)); // refused: no machine page
        Assert.Equal(Tracing.TraceRecord.NoPage, TlbWriteInterception.MachinePageOf(Pair(false, true).Half(odd: false), pages)); // invalid half
    }

    private static TlbEntry Pair(bool valid0, bool valid1) => new(0x00400000 | 5, 0,
        EntryLoBits.Make(0x100, 3, dirty: false, valid: valid0, global: false),
        EntryLoBits.Make(0x2A0, 3, dirty: true, valid: valid1, global: false));
}
