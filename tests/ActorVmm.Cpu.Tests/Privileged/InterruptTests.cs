using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// The Count/Compare timer and interrupts under native delivery. Count advances once per
/// retired instruction (docs/MACHINE.md); when it reaches Compare, Cause.TI and IP7 are set.
/// An interrupt is taken when IE = 1, EXL = ERL = 0 and Cause.IP AND Status.IM is non-zero,
/// at the boundary before the next instruction: EPC = that instruction, ExcCode = Int, to
/// EBase + 0x180, or + 0x200 when Cause.IV = 1 (0xBFC00380 / 0xBFC00400 when BEV = 1).
/// </summary>
public sealed class InterruptTests
{
    private const uint Code = CpuHarness.CodeBase;

    private static CpuHarness Timer(uint count, uint compare, uint status, ulong ramSize = 4 << 20)
    {
        var h = new CpuHarness(DeliveryMode.Native, ramSize);
        h.InstallVectorStops();
        h.WriteCp0(Cp0Register.Status, status);
        h.WriteCp0(Cp0Register.Count, count);
        h.WriteCp0(Cp0Register.Compare, compare);
        return h;
    }

    private static uint[] Counting(int n) => [.. Enumerable.Repeat(Addiu(S0, S0, 1), n)];

    private static void AssertInterrupt(CpuHarness h, uint epc)
    {
        Assert.Equal(epc, h.Cp0.EPC);
        Assert.Equal((uint)ExcCode.Int, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.NotEqual(0u, h.Cp0.Status & StatusBits.EXL);
    }

    [Fact]
    public void Timer_interrupt_is_taken_exactly_where_Count_reaches_Compare()
    {
        using var h = Timer(0, 5, StatusBits.IE | StatusBits.IM7);
        h.Load(Counting(20));
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(5u, h[S0]);
        AssertInterrupt(h, Code + 20);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.TI);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.IP7);
        Assert.Equal(0u, h.Cp0.Cause & CauseBits.BD);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(3L)]
    [InlineData(7L)]
    public void The_boundary_does_not_depend_on_how_the_budget_is_cut(long slice)
    {
        using var h = Timer(100, 109, StatusBits.IE | StatusBits.IM7);
        h.Load(Counting(30));
        RunResult r;
        int guard = 0;
        do
        {
            r = h.Run(slice);
        }
        while (r.Kind == ExitKind.BudgetExhausted && ++guard < 100);

        Assert.Equal(ExitKind.Wait, r.Kind);
        Assert.Equal(0x80000184u, h.Core.Pc);
        Assert.Equal(9u, h[S0]);
        AssertInterrupt(h, Code + 36);
    }

    [Fact]
    public void Count_wraps_around_to_reach_Compare()
    {
        using var h = Timer(0xFFFFFFFE, 1, StatusBits.IE | StatusBits.IM7);
        h.Load(Counting(10));
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(3u, h[S0]);
    }

    [Fact]
    public void Masked_by_IM7_the_timer_sets_TI_and_IP7_but_is_not_taken()
    {
        using var h = Timer(0, 5, StatusBits.IE);
        h.Load([.. Counting(10), Break()]);
        var r = h.Run(10);
        Assert.Equal(ExitKind.BudgetExhausted, r.Kind);
        Assert.Equal(10u, h[S0]);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.TI);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.IP7);
        Assert.Equal(0u, h.Cp0.Status & StatusBits.EXL);
    }

    [Fact]
    public void Masked_by_IE_the_timer_is_taken_right_after_ei()
    {
        using var h = Timer(0, 5, StatusBits.IM7);
        h.Load([.. Counting(10), Ei(T0), .. Counting(10)]);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(10u, h[S0]);
        AssertInterrupt(h, Code + 44);
        Assert.Equal(StatusBits.IM7, h[T0]); // EI returned the Status before it
    }

    [Fact]
    public void Masked_by_IM7_the_timer_is_taken_right_after_the_mtc0_that_unmasks_it()
    {
        using var h = Timer(0, 3, StatusBits.IE);
        h[T1] = StatusBits.IE | StatusBits.IM7;
        h.Load([.. Counting(6), Mtc0(T1, Cp0.Status), .. Counting(5)]);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(6u, h[S0]);
        AssertInterrupt(h, Code + 28);
    }

    [Fact]
    public void Masked_by_EXL_the_timer_is_taken_right_after_eret_at_its_target()
    {
        using var h = Timer(0, 4, StatusBits.IE | StatusBits.IM7 | StatusBits.EXL);
        uint target = Code + 0x100;
        h.Place(CpuHarness.Phys(target), Addiu(S1, S1, 1), Addiu(S1, S1, 1));
        h.WriteCp0(Cp0Register.EPC, target);
        h.Load([.. Counting(8), Eret]);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(8u, h[S0]);
        Assert.Equal(0u, h[S1]);
        AssertInterrupt(h, target);
    }

    [Fact]
    public void Erl_blocks_interrupts()
    {
        using var h = Timer(0, 2, StatusBits.IE | StatusBits.IM7 | StatusBits.ERL);
        h.Load(Counting(8));
        Assert.Equal(ExitKind.BudgetExhausted, h.Run(8).Kind);
        Assert.Equal(8u, h[S0]);
    }

    [Fact]
    public void Di_blocks_the_timer_until_ei()
    {
        using var h = Timer(0, 3, StatusBits.IE | StatusBits.IM7);
        h.Load([Di(T0), .. Counting(6), Ei(T1), Addiu(S1, S1, 1)]);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(6u, h[S0]);
        Assert.Equal(0u, h[S1]);
        Assert.Equal(StatusBits.IE | StatusBits.IM7, h[T0]);
        Assert.Equal(StatusBits.IM7, h[T1]);
        AssertInterrupt(h, Code + 32);
    }

    [Fact]
    public void Timer_interrupt_in_a_delay_slot_sets_EPC_to_the_branch_and_BD()
    {
        using var h = Timer(0, 2, StatusBits.IE | StatusBits.IM7);
        h.Load(Nop, B(3), Addiu(S0, S0, 1), Nop, Nop, Nop);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(0u, h[S0]);
        AssertInterrupt(h, Code + 4);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.BD);
    }

    [Fact]
    public void Cause_IV_sends_interrupts_to_EBase_plus_0x200()
    {
        using var h = Timer(0, 3, StatusBits.IE | StatusBits.IM7);
        h.WriteCp0(Cp0Register.Cause, CauseBits.IV);
        h.Load(Counting(5));
        Assert.Equal(0x80000200u, h.RunToVector());
        AssertInterrupt(h, Code + 12);
    }

    [Fact]
    public void Cause_IV_does_not_move_other_exceptions()
    {
        using var h = Timer(0, 1000, StatusBits.IE);
        h.WriteCp0(Cp0Register.Cause, CauseBits.IV);
        h.Load(Syscall());
        Assert.Equal(0x80000180u, h.RunToVector());
    }

    [Fact]
    public void With_BEV_interrupts_go_to_0xBFC00380_or_0xBFC00400_with_IV()
    {
        using (var h = Timer(0, 2, StatusBits.BEV | StatusBits.IE | StatusBits.IM7, ramSize: 0x20000000))
        {
            h.Load(Counting(5));
            Assert.Equal(0xBFC00380u, h.RunToVector());
        }

        using (var h = Timer(0, 2, StatusBits.BEV | StatusBits.IE | StatusBits.IM7, ramSize: 0x20000000))
        {
            h.WriteCp0(Cp0Register.Cause, CauseBits.IV);
            h.Load(Counting(5));
            Assert.Equal(0xBFC00400u, h.RunToVector());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_software_interrupt_is_taken_after_the_mtc0_that_requests_it(int line)
    {
        uint ip = 1u << (8 + line);
        using var h = Timer(0, 1000, StatusBits.IE | ip);
        h[T0] = ip;
        h.Load(Nop, Mtc0(T0, Cp0.Cause), Addiu(S0, S0, 1));
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(0u, h[S0]);
        AssertInterrupt(h, Code + 8);
        Assert.Equal(ip, h.Cp0.Cause & CauseBits.IPMask);
    }

    [Fact]
    public void A_masked_software_interrupt_waits()
    {
        using var h = Timer(0, 1000, StatusBits.IE | (1u << 9));
        h[T0] = 1u << 8; // IP0 requested, only IM1 enabled
        h.Load(Mtc0(T0, Cp0.Cause), Addiu(S0, S0, 1), Addiu(S0, S0, 1));
        Assert.Equal(ExitKind.BudgetExhausted, h.Run(3).Kind);
        Assert.Equal(2u, h[S0]);
    }

    [Fact]
    public void Writing_Compare_acknowledges_the_timer()
    {
        using var h = Timer(0, 2, StatusBits.IM7);
        h[T0] = 50;
        h.Load([.. Counting(4), Mfc0(T1, Cp0.Cause), Mtc0(T0, Cp0.Compare), Mfc0(T2, Cp0.Cause)]);
        Assert.Equal(ExitKind.BudgetExhausted, h.Run(7).Kind);
        Assert.NotEqual(0u, h[T1] & CauseBits.TI);
        Assert.NotEqual(0u, h[T1] & CauseBits.IP7);
        Assert.Equal(0u, h[T2] & (CauseBits.TI | CauseBits.IP7));
    }

    [Fact]
    public void A_handler_that_acknowledges_and_erets_returns_to_the_interrupted_instruction()
    {
        using var h = Timer(0, 3, StatusBits.IE | StatusBits.IM7);
        // Handler: count the interrupt, push Compare far away, return to EPC.
        h.Place(0x180, [Addiu(K1, K1, 1), .. Li(K0, 0x10000), Mtc0(K0, Cp0.Compare), Eret]);
        h.Load([.. Counting(10), Asm.Wait]);
        var r = h.Run(1000);
        Assert.Equal(ExitKind.Wait, r.Kind);
        Assert.Equal(Code + 44, h.Core.Pc);
        Assert.Equal(10u, h[S0]); // nothing lost or repeated
        Assert.Equal(1u, h[K1]);
    }

    // ---- WAIT, DI, EI ---------------------------------------------------------------------------

    [Fact]
    public void Wait_retires_and_returns_ExitKind_Wait()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        h.SetStatus(PrivilegeMode.Kernel);
        h.Load(Nop, Asm.Wait, Addiu(S0, S0, 1));
        var r = h.Run(100);
        Assert.Equal(ExitKind.Wait, r.Kind);
        Assert.Equal(2L, r.Retired);
        Assert.Equal(Code + 8, h.Core.Pc);
        Assert.Equal(0u, h[S0]);
    }

    [Fact]
    public void Di_and_ei_return_the_old_Status_and_change_only_IE()
    {
        using var h = new CpuHarness();
        uint status = StatusBits.CU0 | StatusBits.IM7 | (1u << 9);
        h.WriteCp0(Cp0Register.Status, status | StatusBits.IE);
        h.Execute(Di(T0), Mfc0(T1, Cp0.Status), Ei(T2), Mfc0(T3, Cp0.Status), Di(), Mfc0(T4, Cp0.Status));
        Assert.Equal(status | StatusBits.IE, h[T0]);
        Assert.Equal(status, h[T1]);
        Assert.Equal(status, h[T2]);
        Assert.Equal(status | StatusBits.IE, h[T3]);
        Assert.Equal(status, h[T4]);
    }
}
