using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// TLBWI, TLBWR, TLBR and TLBP, Index/Random/Wired (PRA chapter on the TLB and Volume II).
/// Random follows docs/MACHINE.md: it starts at size - 1, each TLBWR writes the entry it
/// names and then decrements it, wrapping from Wired back to size - 1, and writing Wired
/// resets it to size - 1; wired entries are never chosen.
/// </summary>
public sealed class TlbInstructionTests
{
    private static uint[] LoadCp0(Cp0 register, uint value) => [.. Li(T8, value), Mtc0(T8, register)];

    private static uint[] Stage(uint entryHi, uint lo0, uint lo1, uint pageMask = 0) =>
    [
        .. LoadCp0(Cp0.EntryHi, entryHi),
        .. LoadCp0(Cp0.EntryLo0, lo0),
        .. LoadCp0(Cp0.EntryLo1, lo1),
        .. LoadCp0(Cp0.PageMask, pageMask),
    ];

    [Fact]
    public void Tlbwi_writes_the_entry_Index_names_from_EntryHi_EntryLo_and_PageMask()
    {
        using var h = new CpuHarness();
        uint lo0 = CpuHarness.Lo(0x00123000, dirty: true, global: false) | (2u << EntryLoBits.CShift);
        uint lo1 = CpuHarness.Lo(0x00456000, dirty: false, global: false);
        h.Execute([.. Stage(0x7FFFE000 | 0x42, lo0, lo1), .. LoadCp0(Cp0.Index, 17), Tlbwi]);
        var e = h.Core.Tlb[17];
        Assert.Equal(0x7FFFE042u, e.EntryHi);
        Assert.Equal(0u, e.PageMask);
        Assert.Equal(lo0 & EntryLoBits.WritableMask, e.EntryLo0);
        Assert.Equal(lo1 & EntryLoBits.WritableMask, e.EntryLo1);
        Assert.False(e.Global);
    }

    [Fact]
    public void Tlbwi_does_not_change_Random()
    {
        using var h = new CpuHarness();
        h.Execute([.. LoadCp0(Cp0.Index, 3), Tlbwi, Tlbwi, Mfc0(T0, Cp0.Random)]);
        Assert.Equal(63u, h[T0]);
    }

    [Fact]
    public void Tlbr_reads_an_entry_back_into_EntryHi_EntryLo_and_PageMask()
    {
        using var h = new CpuHarness();
        uint lo0 = CpuHarness.Lo(0x01000000, dirty: true);
        uint lo1 = CpuHarness.Lo(0x02000000, valid: false);
        h.SetTlb(9, 0x02000000 | 0x33, lo0, lo1, 0x01FFE000);
        h.Execute([
            .. LoadCp0(Cp0.EntryHi, 0x11), .. LoadCp0(Cp0.EntryLo0, 0), .. LoadCp0(Cp0.EntryLo1, 0),
            .. LoadCp0(Cp0.Index, 9), Tlbr,
            Mfc0(T0, Cp0.EntryHi), Mfc0(T1, Cp0.EntryLo0), Mfc0(T2, Cp0.EntryLo1), Mfc0(T3, Cp0.PageMask),
        ]);
        Assert.Equal(0x02000033u, h[T0]);
        Assert.Equal(lo0, h[T1]);
        Assert.Equal(lo1, h[T2]);
        Assert.Equal(0x01FFE000u, h[T3]);
        Assert.Equal(0x33u, h.Core.Cp0.Asid);
    }

    [Fact]
    public void Tlbr_reads_G_back_in_both_halves_when_both_were_written_with_G()
    {
        using var h = new CpuHarness();
        uint lo0 = CpuHarness.Lo(0x00100000, global: true);
        uint lo1 = CpuHarness.Lo(0x00101000, global: true);
        h.Execute([
            .. Stage(0x00400000, lo0, lo1), .. LoadCp0(Cp0.Index, 5), Tlbwi,
            .. Stage(0, 0, 0), Tlbr,
            Mfc0(T1, Cp0.EntryLo0), Mfc0(T2, Cp0.EntryLo1),
        ]);
        Assert.Equal(lo0, h[T1]);
        Assert.Equal(lo1, h[T2]);
        Assert.True(h.Core.Tlb[5].Global);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Tlbr_reads_G_as_zero_in_both_halves_when_only_one_was_written_with_G(bool g0, bool g1)
    {
        // TLBWI stores G = EntryLo0.G AND EntryLo1.G; TLBR returns that single G in both.
        using var h = new CpuHarness();
        uint lo0 = CpuHarness.Lo(0x00100000, global: g0);
        uint lo1 = CpuHarness.Lo(0x00101000, global: g1);
        h.Execute([
            .. Stage(0x00400000, lo0, lo1), .. LoadCp0(Cp0.Index, 5), Tlbwi,
            .. Stage(0, 0, 0), Tlbr,
            Mfc0(T1, Cp0.EntryLo0), Mfc0(T2, Cp0.EntryLo1),
        ]);
        Assert.Equal(lo0 & ~EntryLoBits.G, h[T1]);
        Assert.Equal(lo1 & ~EntryLoBits.G, h[T2]);
        Assert.False(h.Core.Tlb[5].Global);
    }

    // ---- TLBP -------------------------------------------------------------------------------

    [Fact]
    public void Tlbp_hit_sets_Index_with_P_clear()
    {
        using var h = new CpuHarness();
        h.SetTlb(42, 0x00400000 | 7, CpuHarness.Lo(0x00100000), CpuHarness.Lo(0x00101000));
        h.Execute([.. LoadCp0(Cp0.EntryHi, 0x00400000 | 7), Tlbp, Mfc0(T0, Cp0.Index)]);
        Assert.Equal(42u, h[T0]);
    }

    [Fact]
    public void Tlbp_miss_sets_P()
    {
        using var h = new CpuHarness();
        h.SetTlb(42, 0x00400000 | 7, CpuHarness.Lo(0x00100000), CpuHarness.Lo(0x00101000));
        h.Execute([.. LoadCp0(Cp0.EntryHi, 0x00402000 | 7), Tlbp, Mfc0(T0, Cp0.Index)]);
        Assert.NotEqual(0u, h[T0] & 0x80000000u);
    }

    [Fact]
    public void Tlbp_compares_the_ASID_of_a_non_global_entry()
    {
        using var h = new CpuHarness();
        h.SetTlb(42, 0x00400000 | 7, CpuHarness.Lo(0x00100000), CpuHarness.Lo(0x00101000));
        h.Execute([.. LoadCp0(Cp0.EntryHi, 0x00400000 | 8), Tlbp, Mfc0(T0, Cp0.Index)]);
        Assert.NotEqual(0u, h[T0] & 0x80000000u);
    }

    [Fact]
    public void Tlbp_ignores_the_ASID_of_a_global_entry()
    {
        using var h = new CpuHarness();
        h.SetTlb(42, 0x00400000 | 7, CpuHarness.Lo(0x00100000, global: true), CpuHarness.Lo(0x00101000, global: true));
        h.Execute([.. LoadCp0(Cp0.EntryHi, 0x00400000 | 8), Tlbp, Mfc0(T0, Cp0.Index)]);
        Assert.Equal(42u, h[T0]);
    }

    [Fact]
    public void Tlbp_matches_VPN2_outside_the_page_mask()
    {
        using var h = new CpuHarness(ramSize: 64 << 20);
        h.SetTlb(11, 0x02000000, CpuHarness.Lo(0x01000000, global: true), CpuHarness.Lo(0x02000000, global: true), 0x01FFE000);
        h.Execute([.. LoadCp0(Cp0.EntryHi, 0x03ABE000), Tlbp, Mfc0(T0, Cp0.Index)]);
        Assert.Equal(11u, h[T0]);
    }

    [Fact]
    public void Tlbp_after_a_miss_then_a_hit_clears_P()
    {
        using var h = new CpuHarness();
        h.SetTlb(2, 0x00400000, CpuHarness.Lo(0x00100000, global: true), CpuHarness.Lo(0x00101000, global: true));
        h.Execute([
            .. LoadCp0(Cp0.EntryHi, 0x00800000), Tlbp, Mfc0(T0, Cp0.Index),
            .. LoadCp0(Cp0.EntryHi, 0x00400000), Tlbp, Mfc0(T1, Cp0.Index),
        ]);
        Assert.NotEqual(0u, h[T0] & 0x80000000u);
        Assert.Equal(2u, h[T1]);
    }

    [Fact]
    public void Tlbp_finds_an_entry_a_tlbwr_just_wrote()
    {
        using var h = new CpuHarness();
        h.Execute([
            .. Stage(0x12340000 | 9, CpuHarness.Lo(0x00100000), CpuHarness.Lo(0x00101000)), Tlbwr,
            Tlbp, Mfc0(T0, Cp0.Index),
        ]);
        Assert.Equal(63u, h[T0]);
    }

    // ---- Index / Random / Wired ---------------------------------------------------------------------

    [Fact]
    public void Index_holds_the_index_bits_only_and_software_cannot_set_P()
    {
        using var h = new CpuHarness();
        h.Execute([.. LoadCp0(Cp0.Index, 0xFFFFFFFF), Mfc0(T0, Cp0.Index)]);
        Assert.Equal(0x3Fu, h[T0]);
    }

    [Fact]
    public void Random_starts_at_the_top_and_tlbwr_steps_it_down()
    {
        using var h = new CpuHarness();
        h.Execute([
            Mfc0(S0, Cp0.Random),
            .. Stage(0x00400000, 0, 0), Tlbwr, Mfc0(S1, Cp0.Random),
            .. Stage(0x00402000, 0, 0), Tlbwr, Mfc0(S2, Cp0.Random),
        ]);
        Assert.Equal((63u, 62u, 61u), (h[S0], h[S1], h[S2]));
        Assert.Equal(0x00400000u, h.Core.Tlb[63].EntryHi);
        Assert.Equal(0x00402000u, h.Core.Tlb[62].EntryHi);
    }

    [Fact]
    public void Random_is_read_only()
    {
        using var h = new CpuHarness();
        h.Execute([.. LoadCp0(Cp0.Random, 5), Mfc0(T0, Cp0.Random)]);
        Assert.Equal(63u, h[T0]);
    }

    [Fact]
    public void Writing_Wired_resets_Random_to_the_top()
    {
        using var h = new CpuHarness();
        h.Execute([Tlbwr, Tlbwr, Tlbwr, Mfc0(S0, Cp0.Random), .. LoadCp0(Cp0.Wired, 4), Mfc0(S1, Cp0.Random), Mfc0(S2, Cp0.Wired)]);
        Assert.Equal(60u, h[S0]);
        Assert.Equal(63u, h[S1]);
        Assert.Equal(4u, h[S2]);
    }

    [Fact]
    public void Random_wraps_from_Wired_to_the_top_and_tlbwr_never_touches_wired_entries()
    {
        const int Size = 16;
        using var h = new CpuHarness(tlbSize: Size);
        var wired = new TlbEntry[3];
        for (int i = 0; i < wired.Length; i++)
        {
            h.SetTlb(i, 0x10000000u + ((uint)i << 13), CpuHarness.Lo(0x1000u * (uint)i, global: true), 0);
            wired[i] = h.Core.Tlb[i];
        }

        h.WriteCp0(Cp0Register.Wired, (uint)wired.Length);
        var seen = new List<uint>();
        for (int n = 0; n < 3 * Size; n++)
        {
            seen.Add(h.Cp0.Random);
            h.Execute([.. LoadCp0(Cp0.EntryHi, 0x20000000u + ((uint)n << 13)), Tlbwr]);
        }

        for (int i = 0; i < wired.Length; i++)
        {
            Assert.Equal(wired[i], h.Core.Tlb[i]);
        }

        Assert.All(seen, r => Assert.InRange(r, (uint)wired.Length, (uint)Size - 1));
        Assert.Equal([15u, 14u, 13u, 12u, 11u, 10u, 9u, 8u, 7u, 6u, 5u, 4u, 3u, 15u, 14u], seen.Take(15));
    }

    [Fact]
    public void With_Wired_zero_tlbwr_cycles_through_every_entry()
    {
        const int Size = 8;
        using var h = new CpuHarness(tlbSize: Size);
        for (int n = 0; n < Size; n++)
        {
            h.Execute([.. LoadCp0(Cp0.EntryHi, 0x30000000u + ((uint)n << 13)), Tlbwr]);
        }

        var written = Enumerable.Range(0, Size).Select(i => h.Core.Tlb[i].EntryHi).OrderBy(x => x).ToArray();
        Assert.Equal(Enumerable.Range(0, Size).Select(n => 0x30000000u + ((uint)n << 13)).ToArray(), written);
        Assert.Equal((uint)Size - 1, h.Cp0.Random);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(48)]
    [InlineData(64)]
    public void Tlb_size_is_reflected_in_Random_and_Config1_MMUSize(int size)
    {
        using var h = new CpuHarness(tlbSize: size);
        h.Execute(Mfc0(T0, Cp0.Random), Mfc0(T1, Cp0.Config1));
        Assert.Equal((uint)size - 1, h[T0]);
        Assert.Equal((uint)size - 1, (h[T1] >> 25) & 0x3F);
    }

    [Fact]
    public void The_loader_may_install_an_entry_that_the_guest_then_probes_and_reads()
    {
        using var h = new CpuHarness();
        h.SetTlb(0, 0xDF000000, CpuHarness.Lo(0x1F000000, cache: EntryLoBits.CacheUncached, global: true), CpuHarness.Lo(0, valid: false, dirty: false, global: true));
        h.Execute([.. LoadCp0(Cp0.EntryHi, 0xDF000000), Tlbp, Mfc0(T0, Cp0.Index), Tlbr, Mfc0(T1, Cp0.EntryLo0), Mfc0(T2, Cp0.EntryLo1)]);
        Assert.Equal(0u, h[T0]);
        Assert.Equal(CpuHarness.Lo(0x1F000000, cache: EntryLoBits.CacheUncached, global: true), h[T1]);
        Assert.Equal(CpuHarness.Lo(0, valid: false, dirty: false, global: true), h[T2]);
    }
}
