using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// CP0 registers through MTC0/MFC0 with the architectural read/write masks of the PRA for a
/// MIPS32 Release 2 24Kc without FPU, and the identification registers.
/// </summary>
public sealed class Cp0RegisterTests
{
    private static uint WriteThenRead(Cp0 register, uint value, int tlbSize = 64)
    {
        using var h = new CpuHarness(tlbSize: tlbSize);
        h[T0] = value;
        h.Execute(Mtc0(T0, register), Mfc0(T1, register));
        return h[T1];
    }

    private static uint Read(Cp0 register, int tlbSize = 64)
    {
        using var h = new CpuHarness(tlbSize: tlbSize);
        h.Execute(Mfc0(T1, register));
        return h[T1];
    }

    // ---- identification and configuration ------------------------------------------------------

    [Fact]
    public void PRId_is_the_24Kc_and_read_only()
    {
        Assert.Equal(0x00019300u, Read(Cp0.PRId));
        Assert.Equal(0x00019300u, WriteThenRead(Cp0.PRId, 0xFFFFFFFF));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    [InlineData(16)]
    public void Config1_reports_MMUSize_minus_one_and_no_FPU(int tlbSize)
    {
        uint config1 = Read(Cp0.Config1, tlbSize);
        Assert.Equal((uint)tlbSize - 1, (config1 >> 25) & 0x3F);
        Assert.Equal(0u, config1 & 1);           // FP: no floating-point unit
        Assert.NotEqual(0u, config1 & 0x80000000); // M: Config2 follows
    }

    [Fact]
    public void Config_reports_release_2_a_standard_TLB_and_little_endian()
    {
        uint config = Read(Cp0.Config);
        Assert.NotEqual(0u, config & 0x80000000);     // M: Config1 follows
        Assert.Equal(0u, (config >> 13) & 3);         // AT: MIPS32
        Assert.Equal(1u, (config >> 10) & 7);         // AR: Release 2
        Assert.Equal(1u, (config >> 7) & 7);          // MT: standard TLB
        Assert.Equal(0u, config & (1u << 15));        // BE = 0: little-endian
    }

    [Fact]
    public void Config_K0_is_writable_and_nothing_else()
    {
        uint before = Read(Cp0.Config);
        uint after = WriteThenRead(Cp0.Config, 0x00000002);
        Assert.Equal(2u, after & 7);
        Assert.Equal(before & ~7u, after & ~7u);
        Assert.Equal(before & ~7u, WriteThenRead(Cp0.Config, 0x7FFFFFF8) & ~7u);
    }

    [Fact]
    public void Config2_chains_to_Config3()
    {
        Assert.NotEqual(0u, Read(Cp0.Config2) & 0x80000000);
    }

    [Fact]
    public void IntCtl_routes_the_timer_to_IP7()
    {
        Assert.Equal(7u, Read(Cp0.IntCtl) >> 29);
        Assert.Equal(7u, WriteThenRead(Cp0.IntCtl, 0) >> 29); // IPTI is read-only
    }

    [Fact]
    public void IntCtl_VS_reads_zero_without_vectored_interrupts()
    {
        // Config3.VInt = VEIC = 0, so IntCtl.VS "is ignored on write and reads as zero" (PRA).
        Assert.Equal(0u, Read(Cp0.Config3) & ((1u << 5) | (1u << 6)));
        Assert.Equal(0u, WriteThenRead(Cp0.IntCtl, 0x1Fu << 5) & (0x1Fu << 5));
    }

    [Fact]
    public void Config1_reports_no_MIPS16_EJTAG_watch_perf_counters_MDMX_or_COP2()
    {
        // Matches what the core implements: SDBBP, MIPS16 (JALX), MDMX and COP2 all trap.
        Assert.Equal(0u, Read(Cp0.Config1) & 0x7Fu); // C2, MD, PC, WR, CA, EP, FP
    }

    [Fact]
    public void EBase_CPUNum_comes_from_the_core()
    {
        using var h = new CpuHarness(cpuNum: 3);
        h.Execute(Mfc0(T0, Cp0.EBase), Rdhwr(T1, 0));
        Assert.Equal(0x80000003u, h[T0]);
        Assert.Equal(3u, h[T1]);
    }

    [Fact]
    public void EBase_resets_to_0x80000000_with_CPUNum_0()
    {
        Assert.Equal(0x80000000u, Read(Cp0.EBase));
    }

    // ---- EBase and its write gate ---------------------------------------------------------------

    [Fact]
    public void EBase_without_WG_writes_only_bits_29_to_12()
    {
        Assert.Equal(0xBFFFF000u, WriteThenRead(Cp0.EBase, 0x7FFFF7FF));
        Assert.Equal(0x80001000u, WriteThenRead(Cp0.EBase, 0x00001000));
        Assert.Equal(0x80000000u, WriteThenRead(Cp0.EBase, 0x000003FF)); // CPUNum is read-only
    }

    [Fact]
    public void EBase_with_WG_may_set_bits_31_and_30()
    {
        Assert.Equal(0xC0000800u, WriteThenRead(Cp0.EBase, 0xC0000800));
        Assert.Equal(0x40000800u, WriteThenRead(Cp0.EBase, 0x40000800));
    }

    [Fact]
    public void EBase_bits_31_and_30_stay_when_a_later_write_has_WG_clear()
    {
        using var h = new CpuHarness();
        h[T0] = 0xC0000800;
        h[T1] = 0x00004000;
        h.Execute(Mtc0(T0, Cp0.EBase), Mtc0(T1, Cp0.EBase), Mfc0(T2, Cp0.EBase));
        Assert.Equal(0xC0004000u, h[T2]);
    }

    // ---- Status --------------------------------------------------------------------------

    [Fact]
    public void Status_writes_honour_the_architectural_mask()
    {
        uint status = WriteThenRead(Cp0.Status, 0xFFFFFFFF);
        Assert.Equal(0u, status & StatusBits.CU1);          // no FPU: CU1 reads 0
        Assert.Equal(0u, status & (3u << 30));              // CU3, CU2: no coprocessors
        Assert.Equal(0u, status & (1u << 26));              // FR: no FPU
        Assert.Equal(0u, status & (1u << 23));              // PX: 64-bit only
        Assert.Equal(0u, status & (7u << 5));               // KX, SX, UX: 64-bit only
        Assert.NotEqual(0u, status & StatusBits.CU0);
        Assert.NotEqual(0u, status & StatusBits.BEV);
        Assert.Equal(0xFFu, (status >> 8) & 0xFF);          // IM7..0
        Assert.Equal(3u, (status >> 3) & 3);                // KSU
        Assert.Equal(7u, status & 7);                       // ERL, EXL, IE
    }

    [Fact]
    public void Status_reads_back_ordinary_values_exactly()
    {
        uint value = StatusBits.CU0 | StatusBits.IM7 | (1u << 10) | (2u << 3) | StatusBits.EXL | StatusBits.IE;
        Assert.Equal(value, WriteThenRead(Cp0.Status, value));
    }

    [Theory]
    [InlineData(19)] // NMI
    [InlineData(20)] // SR
    [InlineData(21)] // TS
    public void Status_SR_NMI_and_TS_cannot_be_set_by_software(int bit)
    {
        // PRA: "Software can only write a 0 to this bit to clear it and cannot force a 0-1
        // transition" (SR, soft reset; NMI; TS, TLB shutdown).
        Assert.Equal(0u, WriteThenRead(Cp0.Status, 1u << bit) & (1u << bit));
    }

    // ---- Cause --------------------------------------------------------------------------------

    [Fact]
    public void Cause_IV_and_IP1_IP0_are_writable()
    {
        uint cause = WriteThenRead(Cp0.Cause, CauseBits.IV | CauseBits.IPSoftwareMask);
        Assert.Equal(CauseBits.IV | CauseBits.IPSoftwareMask, cause & (CauseBits.IV | CauseBits.IPSoftwareMask));
    }

    [Fact]
    public void Cause_BD_TI_CE_IP7_to_IP2_and_ExcCode_are_read_only()
    {
        uint cause = WriteThenRead(Cp0.Cause, 0xFFFFFFFF);
        Assert.Equal(0u, cause & CauseBits.BD);
        Assert.Equal(0u, cause & CauseBits.TI);
        Assert.Equal(0u, cause & CauseBits.CEMask);
        Assert.Equal(0u, cause & (0x3Fu << 10));            // IP7..IP2 come from hardware
        Assert.Equal(0u, cause & CauseBits.ExcCodeMask);
    }

    [Fact]
    public void Cause_DC_stops_Count()
    {
        // Release 2 Cause.DC (bit 27, R/W): "1: Disable counting of Count register".
        using var h = new CpuHarness();
        h[T0] = CauseBits.DC;
        h.WriteCp0(Cp0Register.Count, 500);
        h.Execute(Mtc0(T0, Cp0.Cause), Nop, Nop, Nop, Nop, Mfc0(T1, Cp0.Count));
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.DC);
        Assert.InRange(h[T1], 500u, 501u); // at most the MTC0 itself counted, not the four NOPs
        Assert.InRange(h.Cp0.Count, 500u, 501u);
    }

    // ---- TLB registers ------------------------------------------------------------------------

    [Fact]
    public void EntryHi_keeps_VPN2_and_ASID_only()
    {
        Assert.Equal(0xFFFFE0FFu, WriteThenRead(Cp0.EntryHi, 0xFFFFFFFF));
    }

    [Theory]
    [InlineData(Cp0Register.EntryLo0)]
    [InlineData(Cp0Register.EntryLo1)]
    public void EntryLo_keeps_PFN_C_D_V_G(int number)
    {
        var register = (Cp0)number;
        Assert.Equal(0x3FFFFFFFu, WriteThenRead(register, 0xFFFFFFFF));
        Assert.Equal(0x00001017u, WriteThenRead(register, 0x00001017));
    }

    [Fact]
    public void PageMask_keeps_bits_28_to_13()
    {
        Assert.Equal(0x1FFFE000u, WriteThenRead(Cp0.PageMask, 0xFFFFFFFF));
        Assert.Equal(0x00006000u, WriteThenRead(Cp0.PageMask, 0x00006000));
    }

    [Fact]
    public void Context_PTEBase_is_writable_and_BadVPN2_is_not()
    {
        Assert.Equal(0xFF800000u, WriteThenRead(Cp0.Context, 0xFFFFFFFF));
        Assert.Equal(0x80000000u, WriteThenRead(Cp0.Context, 0x80000000));
    }

    [Fact]
    public void Wired_keeps_the_index_bits()
    {
        Assert.Equal(5u, WriteThenRead(Cp0.Wired, 5));
    }

    [Fact]
    public void HWREna_keeps_bits_3_to_0()
    {
        Assert.Equal(0xFu, WriteThenRead(Cp0.HWREna, 0xFFFFFFFF));
        Assert.Equal(0x5u, WriteThenRead(Cp0.HWREna, 0x5));
    }

    [Theory]
    [InlineData(Cp0Register.BadVAddr)]
    [InlineData(Cp0Register.LLAddr)]
    public void BadVAddr_and_LLAddr_are_read_only(int number)
    {
        var register = (Cp0)number;
        Assert.Equal(0u, WriteThenRead(register, 0x12345678));
    }

    [Theory]
    [InlineData(Cp0Register.EPC)]
    [InlineData(Cp0Register.ErrorEPC)]
    public void Epc_and_ErrorEPC_hold_any_value(int number)
    {
        var register = (Cp0)number;
        Assert.Equal(0xFFFFFFFFu, WriteThenRead(register, 0xFFFFFFFF));
        Assert.Equal(0x00400003u, WriteThenRead(register, 0x00400003));
    }

    // ---- Count / Compare ------------------------------------------------------------------------

    [Fact]
    public void Count_is_writable_and_advances_from_the_written_value()
    {
        using var h = new CpuHarness();
        h[T0] = 0xFFFFFFF0;
        h.Execute(Mtc0(T0, Cp0.Count), Nop, Nop, Mfc0(T1, Cp0.Count));
        Assert.InRange(h[T1], 0xFFFFFFF2u, 0xFFFFFFF3u);
    }

    [Fact]
    public void Compare_reads_back_what_was_written()
    {
        Assert.Equal(0x87654321u, WriteThenRead(Cp0.Compare, 0x87654321));
    }

    [Fact]
    public void Writing_Compare_clears_the_pending_timer_interrupt()
    {
        using var h = new CpuHarness();
        h.Core.Cp0.RaiseTimerInterrupt();
        h.Core.Cp0Changed(Cp0WriteEffect.Interrupts);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.TI);
        h[T0] = 1000;
        h.Execute(Mfc0(T1, Cp0.Cause), Mtc0(T0, Cp0.Compare), Mfc0(T2, Cp0.Cause));
        Assert.Equal(CauseBits.TI | CauseBits.IP7, h[T1] & (CauseBits.TI | CauseBits.IP7));
        Assert.Equal(0u, h[T2] & (CauseBits.TI | CauseBits.IP7));
    }

    [Fact]
    public void Mfc0_selects_by_register_and_sel()
    {
        using var h = new CpuHarness();
        h.Execute(Mfc0(T0, 15, 0), Mfc0(T1, 15, 1), Mfc0(T2, 16, 0), Mfc0(T3, 16, 1));
        Assert.Equal(0x00019300u, h[T0]);
        Assert.Equal(0x80000000u, h[T1]);
        Assert.NotEqual(h[T2], h[T3]);
    }

    [Fact]
    public void Mfc0_of_an_unimplemented_register_reads_zero()
    {
        using var h = new CpuHarness();
        h[T0] = 0x12345678;
        h.Execute(Mfc0(T0, 22, 0), Mfc0(T1, 31, 7));
        Assert.Equal(0u, h[T0]);
        Assert.Equal(0u, h[T1]);
    }
}
