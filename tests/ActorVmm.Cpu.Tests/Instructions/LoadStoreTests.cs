using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// Loads and stores on a little-endian MIPS32: sign and zero extension, effective address
/// with a sign-extended offset, LWL/LWR/SWL/SWR at every byte offset (the little-endian
/// tables of Volume II), natural alignment (AdEL/AdES with BadVAddr = the effective address,
/// and the destination untouched), and LL/SC.
/// </summary>
public sealed class LoadStoreTests
{
    private const uint Data = CpuHarness.DataBase;
    private const uint DataPhys = CpuHarness.DataPhys;

    private static readonly byte[] Pattern = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];

    private static CpuHarness WithPattern()
    {
        var h = new CpuHarness();
        h.WriteBytes(DataPhys, Pattern);
        h.WriteBytes(DataPhys + 8, 0x80, 0xFF, 0x7F, 0x00, 0xFE, 0xFF, 0xFF, 0x7F);
        return h;
    }

    private static uint Load(Func<int, int, int, uint> op, int offset, uint before = 0xDEADBEEF)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = before;
        h.Execute(op(T1, offset, T0));
        Assert.Equal(Data, h[T0]);
        return h[T1];
    }

    // ---- plain loads -----------------------------------------------------------------------

    [Theory]
    [InlineData(0, 0x00000011u)]
    [InlineData(3, 0x00000044u)]
    [InlineData(8, 0xFFFFFF80u)]
    [InlineData(9, 0xFFFFFFFFu)]
    [InlineData(10, 0x0000007Fu)]
    [InlineData(11, 0x00000000u)]
    public void Lb_sign_extends(int offset, uint value) => Assert.Equal(value, Load(Lb, offset));

    [Theory]
    [InlineData(0, 0x00000011u)]
    [InlineData(8, 0x00000080u)]
    [InlineData(9, 0x000000FFu)]
    [InlineData(10, 0x0000007Fu)]
    public void Lbu_zero_extends(int offset, uint value) => Assert.Equal(value, Load(Lbu, offset));

    [Theory]
    [InlineData(0, 0x00002211u)]
    [InlineData(2, 0x00004433u)]
    [InlineData(8, 0xFFFFFF80u)]   // bytes 80 FF: 0xFF80
    [InlineData(10, 0x0000007Fu)]  // bytes 7F 00
    [InlineData(12, 0xFFFFFFFEu)]  // bytes FE FF
    [InlineData(14, 0x00007FFFu)]  // bytes FF 7F
    public void Lh_is_little_endian_and_sign_extends(int offset, uint value) => Assert.Equal(value, Load(Lh, offset));

    [Theory]
    [InlineData(0, 0x00002211u)]
    [InlineData(8, 0x0000FF80u)]
    [InlineData(12, 0x0000FFFEu)]
    [InlineData(14, 0x00007FFFu)]
    public void Lhu_zero_extends(int offset, uint value) => Assert.Equal(value, Load(Lhu, offset));

    [Theory]
    [InlineData(0, 0x44332211u)]
    [InlineData(4, 0x88776655u)]
    [InlineData(8, 0x007FFF80u)]
    public void Lw_is_little_endian(int offset, uint value) => Assert.Equal(value, Load(Lw, offset));

    [Fact]
    public void Offsets_are_sign_extended()
    {
        using var h = WithPattern();
        h[T0] = Data + 0x8004;
        h.Execute(Lw(T1, -0x8000, T0), Lbu(T2, -0x7FFD, T0));
        Assert.Equal(0x88776655u, h[T1]);
        Assert.Equal(0x00000088u, h[T2]);
    }

    [Fact]
    public void Kseg1_reaches_the_same_physical_memory_as_kseg0()
    {
        using var h = WithPattern();
        h[T0] = CpuHarness.Phys(Data) | 0xA0000000;
        h[T3] = 0xCAFEBABE;
        h.Execute(Lw(T1, 0, T0), Sw(T3, 4, T0));
        Assert.Equal(0x44332211u, h[T1]);
        Assert.Equal(0xCAFEBABEu, h.Read32(DataPhys + 4));
    }

    // ---- plain stores ----------------------------------------------------------------------

    [Theory]
    [InlineData(0, new byte[] { 0xDD, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 })]
    [InlineData(5, new byte[] { 0x11, 0x22, 0x33, 0x44, 0x55, 0xDD, 0x77, 0x88 })]
    public void Sb_stores_the_low_byte_only(int offset, byte[] memory)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xAABBCCDD;
        h.Execute(Sb(T1, offset, T0));
        Assert.Equal(memory, h.ReadBytes(DataPhys, 8));
    }

    [Theory]
    [InlineData(0, new byte[] { 0xDD, 0xCC, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 })]
    [InlineData(6, new byte[] { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xDD, 0xCC })]
    public void Sh_stores_the_low_halfword_little_endian(int offset, byte[] memory)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xAABBCCDD;
        h.Execute(Sh(T1, offset, T0));
        Assert.Equal(memory, h.ReadBytes(DataPhys, 8));
    }

    [Fact]
    public void Sw_stores_little_endian()
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xAABBCCDD;
        h.Execute(Sw(T1, 4, T0));
        Assert.Equal(new byte[] { 0x11, 0x22, 0x33, 0x44, 0xDD, 0xCC, 0xBB, 0xAA }, h.ReadBytes(DataPhys, 8));
    }

    [Fact]
    public void A_store_is_seen_by_a_following_load_of_another_width()
    {
        using var h = new CpuHarness();
        h[T0] = Data;
        h[T1] = 0x80FF7F01;
        h.Execute(Sw(T1, 0, T0), Lb(T2, 3, T0), Lhu(T3, 2, T0), Lh(T4, 0, T0), Lbu(T5, 1, T0));
        Assert.Equal(0xFFFFFF80u, h[T2]);
        Assert.Equal(0x000080FFu, h[T3]);
        Assert.Equal(0x00007F01u, h[T4]);
        Assert.Equal(0x0000007Fu, h[T5]);
    }

    // ---- LWL / LWR (little-endian) --------------------------------------------------------------

    [Theory]
    [InlineData(0, 0x11BBCCDDu)]
    [InlineData(1, 0x2211CCDDu)]
    [InlineData(2, 0x332211DDu)]
    [InlineData(3, 0x44332211u)]
    [InlineData(4, 0x55BBCCDDu)]
    [InlineData(7, 0x88776655u)]
    public void Lwl_merges_the_high_bytes(int offset, uint value) => Assert.Equal(value, Load(Lwl, offset, 0xAABBCCDD));

    [Theory]
    [InlineData(0, 0x44332211u)]
    [InlineData(1, 0xAA443322u)]
    [InlineData(2, 0xAABB4433u)]
    [InlineData(3, 0xAABBCC44u)]
    [InlineData(4, 0x88776655u)]
    [InlineData(6, 0xAABB8877u)]
    public void Lwr_merges_the_low_bytes(int offset, uint value) => Assert.Equal(value, Load(Lwr, offset, 0xAABBCCDD));

    [Theory]
    [InlineData(0, 0x44332211u)]
    [InlineData(1, 0x55443322u)]
    [InlineData(2, 0x66554433u)]
    [InlineData(3, 0x77665544u)]
    [InlineData(4, 0x88776655u)]
    public void Lwl_3_then_lwr_0_loads_an_unaligned_word(int offset, uint value)
    {
        using var h = WithPattern();
        h[T0] = Data + (uint)offset;
        h[T1] = 0xDEADBEEF;
        h.Execute(Lwl(T1, 3, T0), Lwr(T1, 0, T0));
        Assert.Equal(value, h[T1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Lwr_0_then_lwl_3_in_the_other_order_gives_the_same_word(int offset)
    {
        using var h = WithPattern();
        h[T0] = Data + (uint)offset;
        h.Execute(Lwr(T1, 0, T0), Lwl(T1, 3, T0));
        Assert.Equal(BitConverter.ToUInt32(Pattern, offset), h[T1]);
    }

    [Fact]
    public void Lwl_and_lwr_do_not_require_alignment()
    {
        using var h = WithPattern();
        h[T0] = Data + 1;
        h.Execute(Lwl(T1, 0, T0), Lwr(T2, 2, T0));
        Assert.Equal(ExcCode.Bp, h.Core.LastException.Code);
    }

    // ---- SWL / SWR (little-endian) ---------------------------------------------------------------

    [Theory]
    [InlineData(0, new byte[] { 0xAA, 0x22, 0x33, 0x44 })]
    [InlineData(1, new byte[] { 0xBB, 0xAA, 0x33, 0x44 })]
    [InlineData(2, new byte[] { 0xCC, 0xBB, 0xAA, 0x44 })]
    [InlineData(3, new byte[] { 0xDD, 0xCC, 0xBB, 0xAA })]
    public void Swl_stores_the_high_bytes(int offset, byte[] word)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xAABBCCDD;
        h.Execute(Swl(T1, offset, T0));
        Assert.Equal([.. word, 0x55, 0x66, 0x77, 0x88], h.ReadBytes(DataPhys, 8));
    }

    [Theory]
    [InlineData(0, new byte[] { 0xDD, 0xCC, 0xBB, 0xAA })]
    [InlineData(1, new byte[] { 0x11, 0xDD, 0xCC, 0xBB })]
    [InlineData(2, new byte[] { 0x11, 0x22, 0xDD, 0xCC })]
    [InlineData(3, new byte[] { 0x11, 0x22, 0x33, 0xDD })]
    public void Swr_stores_the_low_bytes(int offset, byte[] word)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xAABBCCDD;
        h.Execute(Swr(T1, offset, T0));
        Assert.Equal([.. word, 0x55, 0x66, 0x77, 0x88], h.ReadBytes(DataPhys, 8));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Swl_3_then_swr_0_stores_an_unaligned_word(int offset)
    {
        using var h = WithPattern();
        h[T0] = Data + (uint)offset;
        h[T1] = 0xAABBCCDD;
        h.Execute(Swl(T1, 3, T0), Swr(T1, 0, T0));
        byte[] expected = [.. Pattern];
        BitConverter.GetBytes(0xAABBCCDDu).CopyTo(expected, offset);
        Assert.Equal(expected, h.ReadBytes(DataPhys, 8));
    }

    // ---- alignment --------------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Unaligned_lw_raises_AdEL_with_BadVAddr_and_leaves_rt(int misalignment)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xDEADBEEF;
        var e = h.ExecuteExpecting(ExcCode.AdEL, Lw(T1, misalignment, T0));
        Assert.Equal(Data + (uint)misalignment, e.BadVAddr);
        Assert.Equal(CpuHarness.CodeBase, e.Pc);
        Assert.Equal(0xDEADBEEFu, h[T1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Unaligned_lh_and_lhu_raise_AdEL(int misalignment)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xDEADBEEF;
        Assert.Equal(Data + (uint)misalignment, h.ExecuteExpecting(ExcCode.AdEL, Lh(T1, misalignment, T0)).BadVAddr);
        Assert.Equal(Data + (uint)misalignment, h.ExecuteExpecting(ExcCode.AdEL, Lhu(T1, misalignment, T0)).BadVAddr);
        Assert.Equal(0xDEADBEEFu, h[T1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Unaligned_sw_raises_AdES_and_stores_nothing(int misalignment)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xAABBCCDD;
        var e = h.ExecuteExpecting(ExcCode.AdES, Sw(T1, misalignment, T0));
        Assert.Equal(Data + (uint)misalignment, e.BadVAddr);
        Assert.Equal(Pattern, h.ReadBytes(DataPhys, 8));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Unaligned_sh_raises_AdES_and_stores_nothing(int misalignment)
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T1] = 0xAABBCCDD;
        var e = h.ExecuteExpecting(ExcCode.AdES, Sh(T1, misalignment, T0));
        Assert.Equal(Data + (uint)misalignment, e.BadVAddr);
        Assert.Equal(Pattern, h.ReadBytes(DataPhys, 8));
    }

    [Fact]
    public void Alignment_is_checked_before_translation()
    {
        // kuseg 0x00400001 has no TLB entry: the address error takes priority over the refill.
        using var h = new CpuHarness();
        h[T0] = 0x00400000;
        var e = h.ExecuteExpecting(ExcCode.AdEL, Lw(T1, 1, T0));
        Assert.Equal(0x00400001u, e.BadVAddr);
        Assert.False(e.IsTlbRefill);
        Assert.Equal(0x00400003u, h.ExecuteExpecting(ExcCode.AdES, Sh(T1, 3, T0)).BadVAddr);
    }

    [Fact]
    public void Lwl_and_swr_faults_report_the_unaligned_address_as_BadVAddr()
    {
        using var h = new CpuHarness();
        h[T0] = 0x00400000;
        var load = h.ExecuteExpecting(ExcCode.TlbL, Lwl(T1, 3, T0));
        Assert.True(load.IsTlbRefill);
        Assert.Equal(0x00400003u, load.BadVAddr);
        var store = h.ExecuteExpecting(ExcCode.TlbS, Swr(T1, 1, T0));
        Assert.Equal(0x00400001u, store.BadVAddr);
    }

    [Fact]
    public void A_faulting_load_or_store_does_not_retire_or_advance_Count()
    {
        using var h = new CpuHarness();
        h.WriteCp0(Cp0Register.Count, 10);
        h[T0] = Data;
        h.ExecuteExpecting(ExcCode.AdEL, Nop, Lw(T1, 2, T0));
        Assert.Equal(1L, h.Core.Retired);
        Assert.Equal(11u, h.Cp0.Count);
        Assert.Equal(CpuHarness.CodeBase + 4, h.Core.Pc);
    }

    [Fact]
    public void Alignment_is_checked_on_the_effective_address_not_the_base()
    {
        using var h = WithPattern();
        h[T0] = Data + 1;
        h.Execute(Lw(T1, 3, T0), Lh(T2, 1, T0), Sw(T1, -1, T0));
        Assert.Equal(0x88776655u, h[T1]);
        Assert.Equal(0x00004433u, h[T2]);
    }

    [Fact]
    public void Unaligned_load_natively_sets_BadVAddr_and_epc()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel);
        h[T0] = Data + 2;
        h.Load(Nop, Lw(T1, 0, T0), Break());
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(Data + 2, h.Cp0.BadVAddr);
        Assert.Equal(CpuHarness.CodeBase + 4, h.Cp0.EPC);
        Assert.Equal((uint)ExcCode.AdEL, CpuHarness.ExcCodeOf(h.Cp0.Cause));
    }

    // ---- LL / SC ------------------------------------------------------------------------------

    [Fact]
    public void Ll_loads_and_sets_LLBit_then_sc_stores_and_reports_success()
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T2] = 0xCAFEF00D;
        h.Execute(Ll(T1, 4, T0));
        Assert.Equal(0x88776655u, h[T1]);
        Assert.True(h.Core.LLBit);

        h.Execute(Sc(T2, 4, T0));
        Assert.Equal(1u, h[T2]);
        Assert.Equal(0xCAFEF00Du, h.Read32(DataPhys + 4));
        Assert.False(h.Core.LLBit);
    }

    [Fact]
    public void Sc_without_ll_fails_and_stores_nothing()
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T2] = 0xCAFEF00D;
        h.Execute(Sc(T2, 0, T0));
        Assert.Equal(0u, h[T2]);
        Assert.Equal(0x44332211u, h.Read32(DataPhys));
    }

    [Fact]
    public void A_second_sc_after_one_ll_fails()
    {
        using var h = WithPattern();
        h[T0] = Data;
        h[T2] = 0x11111111;
        h[T3] = 0x22222222;
        h.Execute(Ll(T1, 0, T0), Sc(T2, 0, T0), Sc(T3, 0, T0));
        Assert.Equal(1u, h[T2]);
        Assert.Equal(0u, h[T3]);
        Assert.Equal(0x11111111u, h.Read32(DataPhys));
    }

    [Fact]
    public void An_atomic_increment_loop_completes()
    {
        using var h = new CpuHarness();
        h.Write32(DataPhys, 41);
        h[T0] = Data;
        // 1: ll t1,0(t0); addiu t1,t1,1; sc t1,0(t0); beqz t1,1b; nop
        h.Execute(Ll(T1, 0, T0), Addiu(T1, T1, 1), Sc(T1, 0, T0), Beq(T1, Zero, -4), Nop);
        Assert.Equal(42u, h.Read32(DataPhys));
        Assert.Equal(1u, h[T1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Unaligned_ll_raises_AdEL_and_unaligned_sc_raises_AdES(int misalignment)
    {
        using var h = WithPattern();
        h[T0] = Data;
        Assert.Equal(Data + (uint)misalignment, h.ExecuteExpecting(ExcCode.AdEL, Ll(T1, misalignment, T0)).BadVAddr);
        h.Core.LLBit = true;
        Assert.Equal(Data + (uint)misalignment, h.ExecuteExpecting(ExcCode.AdES, Sc(T1, misalignment, T0)).BadVAddr);
        Assert.Equal(Pattern, h.ReadBytes(DataPhys, 8));
    }

    [Fact]
    public void Ll_records_the_physical_address_in_LLAddr()
    {
        // PRA: LLAddr holds bits 31:4 (PAddr[35:4] on larger parts) of the PHYSICAL address
        // the most recent LL read. Data is kseg0 0x80010000, physical 0x00010000.
        using var h = WithPattern();
        h[T0] = Data;
        h.Execute(Ll(T1, 4, T0), Mfc0(T2, Cp0.LLAddr));
        Assert.Equal((DataPhys + 4) >> 4, h[T2]);
    }
}
