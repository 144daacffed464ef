using ActorVmm.Cpu;
using Xunit;

namespace ActorVmm.Cpu.Tests.Decoding;

/// <summary>A TLB entry's two pages, as the monitor and the trace read them: where each starts and what it maps to.</summary>
public sealed class TlbHalfTests
{
    [Fact]
    public void A_4K_pair_has_its_odd_page_4K_above_the_even_one()
    {
        var entry = new TlbEntry(0x00400000 | 5, 0, EntryLoBits.Make(0x100, 3, dirty: false, valid: true, global: false),
            EntryLoBits.Make(0x2A0, 3, dirty: true, valid: true, global: false));

        var even = entry.Half(odd: false);
        var odd = entry.Half(odd: true);

        Assert.Equal((0x00400000u, 0x100000UL, false), (even.VirtualBase, even.PhysicalBase, even.Dirty));
        Assert.Equal((0x00401000u, 0x2A0000UL, true), (odd.VirtualBase, odd.PhysicalBase, odd.Dirty));
        Assert.Equal((0x100u, 0x2A0u), (even.FirstPpn.Value, odd.FirstPpn.Value));
    }

    [Fact]
    public void A_16M_pair_has_its_odd_page_16M_above_and_pfn_bits_inside_the_page_are_ignored()
    {
        var entry = new TlbEntry(0xC0000000, 0x01FFE000, EntryLoBits.Make(0x0012, 3, true, true, true), EntryLoBits.Make(0x1000, 3, true, false, true));

        var even = entry.Half(odd: false);
        var odd = entry.Half(odd: true);

        Assert.Equal((0xC0000000u, 0UL), (even.VirtualBase, even.PhysicalBase));
        Assert.Equal((0xC1000000u, 0x1000000UL), (odd.VirtualBase, odd.PhysicalBase));
        Assert.True(even.Valid);
        Assert.False(odd.Valid);
    }

    [Fact]
    public void Physical_addresses_beyond_4G_keep_their_high_bits()
    {
        // PFN 0x11F000: physical 0x11F000000, above 32 bits; the page number is not truncated.
        var entry = new TlbEntry(0x00400000, 0, EntryLoBits.Make(0x11F000, 3, true, true, false), 0);

        var half = entry.Half(odd: false);

        Assert.Equal(0x11F000000UL, half.PhysicalBase);
        Assert.Equal(0x11F000u, half.FirstPpn.Value);
    }
}
