using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// Address translation through the TLB (PRA, "TLB Address Translation"): an entry matches on
/// VPN2 outside its PageMask and on ASID unless G; the even/odd page is chosen by the VA bit
/// just above the page offset; PFN bits below the page size are ignored; G counts only when
/// set in both EntryLo halves at TLBWI time. Also checks that the core's translation caches
/// follow TLB writes and ASID changes.
/// </summary>
public sealed class TlbTranslationTests
{
    private static uint[] WriteEntry(int index, uint entryHi, uint lo0, uint lo1, uint pageMask = 0) =>
    [
        .. Li(T8, entryHi), Mtc0(T8, Cp0.EntryHi),
        .. Li(T8, lo0), Mtc0(T8, Cp0.EntryLo0),
        .. Li(T8, lo1), Mtc0(T8, Cp0.EntryLo1),
        .. Li(T8, pageMask), Mtc0(T8, Cp0.PageMask),
        .. Li(T8, (uint)index), Mtc0(T8, Cp0.Index),
        Tlbwi,
    ];

    private static uint[] SetAsid(uint asid) => [.. Li(T8, asid), Mtc0(T8, Cp0.EntryHi)];

    public static TheoryData<uint, uint> PageSizes => new()
    {
        { 0x00000000, 0x00001000 }, // 4 KB
        { 0x00006000, 0x00004000 }, // 16 KB
        { 0x0001E000, 0x00010000 }, // 64 KB
        { 0x0007E000, 0x00040000 }, // 256 KB
        { 0x001FE000, 0x00100000 }, // 1 MB
        { 0x007FE000, 0x00400000 }, // 4 MB
        { 0x01FFE000, 0x01000000 }, // 16 MB
    };

    [Theory]
    [MemberData(nameof(PageSizes))]
    public void PageMask_selects_the_even_or_odd_page_by_the_bit_above_the_page_offset(uint pageMask, uint pageSize)
    {
        using var h = new CpuHarness(ramSize: 64 << 20);
        uint vaBase = Math.Max(0x00400000u, 2 * pageSize);
        uint paEven = Math.Max(0x00100000u, pageSize);
        uint paOdd = paEven + (2 * pageSize);
        h.Write32(paEven, 0xE0E0E0E0);
        h.Write32(paEven + pageSize - 4, 0xE1E1E1E1);
        h.Write32(paOdd, 0x0D0D0D0D);
        h.Write32(paOdd + pageSize - 4, 0x0E0E0E0E);

        h[S0] = vaBase;
        h[S1] = vaBase + pageSize - 4;
        h[S2] = vaBase + pageSize;
        h[S3] = vaBase + (2 * pageSize) - 4;
        h.Load([
            .. WriteEntry(3, vaBase, CpuHarness.Lo(paEven, global: true), CpuHarness.Lo(paOdd, global: true), pageMask),
            Lw(T0, 0, S0), Lw(T1, 0, S1), Lw(T2, 0, S2), Lw(T3, 0, S3),
            Break(),
        ]);
        h.RunToBreak();
        Assert.Equal(0xE0E0E0E0u, h[T0]);
        Assert.Equal(0xE1E1E1E1u, h[T1]);
        Assert.Equal(0x0D0D0D0Du, h[T2]);
        Assert.Equal(0x0E0E0E0Eu, h[T3]);
    }

    [Theory]
    [MemberData(nameof(PageSizes))]
    public void An_address_just_past_the_entry_misses(uint pageMask, uint pageSize)
    {
        using var h = new CpuHarness(ramSize: 64 << 20);
        uint vaBase = Math.Max(0x00400000u, 2 * pageSize);
        uint pa = Math.Max(0x00100000u, pageSize);
        h[S0] = vaBase + (2 * pageSize);
        h[S1] = vaBase - 4;
        h.Load([.. WriteEntry(3, vaBase, CpuHarness.Lo(pa, global: true), CpuHarness.Lo(pa, global: true), pageMask), Lw(T0, 0, S0)]);
        var e = h.RunToException();
        Assert.Equal(ExcCode.TlbL, e.Code);
        Assert.True(e.IsTlbRefill);
        Assert.Equal(vaBase + (2 * pageSize), e.BadVAddr);

        h.Load(Lw(T0, 0, S1));
        Assert.True(h.RunToException().IsTlbRefill);
    }

    [Fact]
    public void Pfn_bits_below_a_large_page_are_ignored()
    {
        using var h = new CpuHarness();
        // 16 KB pages: PFN bits 1:0 select within the page and are not used.
        h.Write32(0x00100010, 0x12345678);
        h.Write32(0x00200020, 0x9ABCDEF0);
        h[S0] = 0x00400010;
        h[S1] = 0x00404020;
        uint lo0 = CpuHarness.Lo(0x00100000, global: true) | (3u << EntryLoBits.PfnShift);
        uint lo1 = CpuHarness.Lo(0x00200000, global: true) | (1u << EntryLoBits.PfnShift);
        h.Load([.. WriteEntry(0, 0x00400000, lo0, lo1, 0x6000), Lw(T0, 0, S0), Lw(T1, 0, S1), Break()]);
        h.RunToBreak();
        Assert.Equal(0x12345678u, h[T0]);
        Assert.Equal(0x9ABCDEF0u, h[T1]);
    }

    [Fact]
    public void Vpn2_bits_under_the_mask_do_not_take_part_in_the_match()
    {
        using var h = new CpuHarness();
        h.Write32(0x00100000, 0xAAAA5555);
        h[S0] = 0x00400000;
        // EntryHi names 0x00406000, inside the same 32 KB pair as 0x00400000 for 16 KB pages.
        h.Load([.. WriteEntry(0, 0x00406000, CpuHarness.Lo(0x00100000, global: true), CpuHarness.Lo(0x00200000, global: true), 0x6000), Lw(T0, 0, S0), Break()]);
        h.RunToBreak();
        Assert.Equal(0xAAAA5555u, h[T0]);
    }

    // ---- ASID and G ----------------------------------------------------------------------------

    [Fact]
    public void A_non_global_entry_matches_only_its_ASID()
    {
        using var h = new CpuHarness();
        h.Write32(0x00100000, 0x600DF00D);
        h[S0] = 0x00400000;
        h.Load([
            .. WriteEntry(4, 0x00400000 | 5, CpuHarness.Lo(0x00100000), CpuHarness.Lo(0x00101000)),
            Lw(T0, 0, S0),
            .. SetAsid(6),
            Lw(T1, 0, S0),
        ]);
        var e = h.RunToException();
        Assert.Equal(0x600DF00Du, h[T0]);
        Assert.Equal(ExcCode.TlbL, e.Code);
        Assert.True(e.IsTlbRefill);
    }

    [Fact]
    public void A_global_entry_matches_every_ASID()
    {
        using var h = new CpuHarness();
        h.Write32(0x00100000, 0x600DF00D);
        h[S0] = 0x00400000;
        h.Load([
            .. WriteEntry(4, 0x00400000 | 5, CpuHarness.Lo(0x00100000, global: true), CpuHarness.Lo(0x00101000, global: true)),
            .. SetAsid(6),
            Lw(T0, 0, S0),
            .. SetAsid(0xFF),
            Lw(T1, 0, S0),
            Break(),
        ]);
        h.RunToBreak();
        Assert.Equal(0x600DF00Du, h[T0]);
        Assert.Equal(0x600DF00Du, h[T1]);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void G_in_only_one_EntryLo_makes_a_non_global_entry(bool g0, bool g1)
    {
        using var h = new CpuHarness();
        h[S0] = 0x00400000;
        h.Load([
            .. WriteEntry(4, 0x00400000 | 5, CpuHarness.Lo(0x00100000, global: g0), CpuHarness.Lo(0x00101000, global: g1)),
            .. SetAsid(6),
            Lw(T0, 0, S0),
        ]);
        var e = h.RunToException();
        Assert.Equal(ExcCode.TlbL, e.Code);
        Assert.True(e.IsTlbRefill);
    }

    [Fact]
    public void Two_entries_for_one_VA_with_different_ASIDs_are_told_apart()
    {
        using var h = new CpuHarness();
        h.Write32(0x00100000, 0x11111111);
        h.Write32(0x00200000, 0x22222222);
        h[S0] = 0x00400000;
        h.Load([
            .. WriteEntry(1, 0x00400000 | 1, CpuHarness.Lo(0x00100000), CpuHarness.Lo(0x00101000)),
            .. WriteEntry(2, 0x00400000 | 2, CpuHarness.Lo(0x00200000), CpuHarness.Lo(0x00201000)),
            .. SetAsid(1), Lw(T0, 0, S0),
            .. SetAsid(2), Lw(T1, 0, S0),
            .. SetAsid(1), Lw(T2, 0, S0),
            Break(),
        ]);
        h.RunToBreak();
        Assert.Equal((0x11111111u, 0x22222222u, 0x11111111u), (h[T0], h[T1], h[T2]));
    }

    // ---- the core's caches follow the TLB --------------------------------------------------------

    [Fact]
    public void Rewriting_an_entry_with_tlbwi_changes_the_translation_at_once()
    {
        using var h = new CpuHarness();
        h.Write32(0x00100000, 0x11111111);
        h.Write32(0x00200000, 0x22222222);
        h[S0] = 0x00400000;
        h.Load([
            .. WriteEntry(1, 0x00400000, CpuHarness.Lo(0x00100000, global: true), CpuHarness.Lo(0x00101000, global: true)),
            Lw(T0, 0, S0),
            .. WriteEntry(1, 0x00400000, CpuHarness.Lo(0x00200000, global: true), CpuHarness.Lo(0x00201000, global: true)),
            Lw(T1, 0, S0),
            .. WriteEntry(1, 0x00400000, CpuHarness.Lo(0x00200000, valid: false, global: true), 0),
            Lw(T2, 0, S0),
        ]);
        var e = h.RunToException();
        Assert.Equal(0x11111111u, h[T0]);
        Assert.Equal(0x22222222u, h[T1]);
        Assert.Equal(ExcCode.TlbL, e.Code);
        Assert.False(e.IsTlbRefill);
    }

    [Fact]
    public void Clearing_D_with_tlbwi_makes_the_next_store_raise_Mod()
    {
        using var h = new CpuHarness();
        h[S0] = 0x00400000;
        h.Load([
            .. WriteEntry(1, 0x00400000, CpuHarness.Lo(0x00100000, global: true), CpuHarness.Lo(0x00101000, global: true)),
            Sw(S0, 0, S0),
            .. WriteEntry(1, 0x00400000, CpuHarness.Lo(0x00100000, dirty: false, global: true), CpuHarness.Lo(0x00101000, dirty: false, global: true)),
            Sw(S0, 4, S0),
        ]);
        var e = h.RunToException();
        Assert.Equal(ExcCode.Mod, e.Code);
        Assert.Equal(0x00400004u, e.BadVAddr);
        Assert.Equal(0x00400000u, h.Read32(0x00100000));
    }

    [Fact]
    public void Instruction_fetch_follows_a_rewritten_entry()
    {
        using var h = new CpuHarness();
        h.Place(0x00100000, Addiu(V0, Zero, 1), Jr(RA), Nop);
        h.Place(0x00200000, Addiu(V0, Zero, 2), Jr(RA), Nop);
        h[S0] = 0x00400000;
        h.Load([
            .. WriteEntry(1, 0x00400000, CpuHarness.Lo(0x00100000, global: true), CpuHarness.Lo(0x00101000, global: true)),
            Jalr(S0), Nop, Move(S1, V0),
            .. WriteEntry(1, 0x00400000, CpuHarness.Lo(0x00200000, global: true), CpuHarness.Lo(0x00201000, global: true)),
            Jalr(S0), Nop, Move(S2, V0),
            Break(),
        ]);
        h.RunToBreak();
        Assert.Equal(1u, h[S1]);
        Assert.Equal(2u, h[S2]);
    }

    [Fact]
    public void A_host_written_entry_replaces_a_cached_translation()
    {
        using var h = new CpuHarness();
        h.Write32(0x00100000, 0x11111111);
        h.Write32(0x00200000, 0x22222222);
        h.MapPair(1, 0x00400000, 0x00100000);
        h[S0] = 0x00400000;
        h.Execute(Lw(T0, 0, S0));
        h.MapPair(1, 0x00400000, 0x00200000);
        h.Execute(Lw(T1, 0, S0));
        Assert.Equal((0x11111111u, 0x22222222u), (h[T0], h[T1]));
    }

    [Fact]
    public void Stores_through_a_mapping_reach_the_mapped_physical_page()
    {
        using var h = new CpuHarness();
        h.MapPair(1, 0x7FFFE000, 0x00300000);
        h[S0] = 0x7FFFF000;
        h[T0] = 0xFEEDFACE;
        h.Execute(Sw(T0, 0xFFC, S0), Sb(T0, 0, S0));
        Assert.Equal(0xFEEDFACEu, h.Read32(0x00301FFC));
        Assert.Equal(0xCEu, h.Read8(0x00301000));
    }
}
