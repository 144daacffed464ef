using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// The core's contract with its host (Run, host delivery, CompleteInstruction, ExceptionLoop)
/// and a few register-width rules of the PRA that a host or guest may probe.
/// </summary>
public sealed class RunContractTests
{
    private const uint Code = CpuHarness.CodeBase;

    [Fact]
    public void Host_delivery_stops_before_the_faulting_instruction_changes_anything()
    {
        using var h = new CpuHarness();
        h.WriteCp0(Cp0Register.Count, 7);
        h[T0] = 0x7FFFFFFF;
        h[T1] = 0x11111111;
        h.Load(Addiu(S0, S0, 1), Add(T1, T0, T0));
        var e = h.RunToException();
        Assert.Equal(ExcCode.Ov, e.Code);
        Assert.Equal(1L, h.Core.Retired);
        Assert.Equal(8u, h.Cp0.Count);
        Assert.Equal(Code + 4, h.Core.Pc);
        Assert.Equal(Code + 8, h.Core.NextPc);
        Assert.False(h.Core.InDelaySlot);
        Assert.Equal(0x11111111u, h[T1]);
        Assert.Equal(0u, h.Cp0.Status & StatusBits.EXL);
        Assert.Equal(0u, h.Cp0.EPC);
    }

    [Fact]
    public void CompleteInstruction_retires_one_instruction_and_advances_Count()
    {
        using var h = new CpuHarness();
        h.WriteCp0(Cp0Register.Count, 20);
        h.Load(Syscall(), Syscall(), Break());
        h.RunToException();
        h.Core.CompleteInstruction();
        h.RunToException();
        h.Core.CompleteInstruction();
        Assert.Equal(Code + 8, h.RunToBreak());
        Assert.Equal(2L, h.Core.Retired);
        Assert.Equal(22u, h.Cp0.Count);
    }

    [Fact]
    public void A_fetch_fault_reports_instruction_word_zero()
    {
        using var h = new CpuHarness();
        h.Core.Jump(0x00500000);
        var e = h.RunToException();
        Assert.Equal(ExcCode.TlbL, e.Code);
        Assert.True(e.IsTlbRefill);
        Assert.Equal(0x00500000u, e.Pc);
        Assert.Equal(0x00500000u, e.BadVAddr);
        Assert.Equal(0u, e.Instruction);
    }

    [Fact]
    public void A_misaligned_pc_raises_AdEL_on_fetch()
    {
        using var h = new CpuHarness();
        h.Core.Jump(Code + 1);
        var e = h.RunToException();
        Assert.Equal(ExcCode.AdEL, e.Code);
        Assert.Equal(Code + 1, e.BadVAddr);
    }

    [Fact]
    public void A_fetch_from_outside_RAM_is_an_instruction_bus_error()
    {
        using var h = new CpuHarness();
        h.Core.Jump(0x80F00000); // physical 15 MB, beyond the 4 MB of RAM
        var e = h.RunToException();
        Assert.Equal(ExcCode.Ibe, e.Code);
        Assert.Equal(0x80F00000u, e.Pc);
    }

    [Fact]
    public void A_load_from_outside_RAM_with_no_device_is_a_data_bus_error()
    {
        using var h = new CpuHarness();
        h[T0] = 0xBF000000; // kseg1 view of physical 0x1F000000, no device bus attached
        Assert.Equal(ExcCode.Dbe, h.ExecuteExpecting(ExcCode.Dbe, Lw(T1, 0, T0)).Code);
    }

    [Fact]
    public void A_vector_that_faults_itself_ends_the_run_as_an_ExceptionLoop()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        // EBase in unmapped ksseg: every entry to the vector misses in the TLB again.
        h.WriteCp0(Cp0Register.EBase, 0xC0000000 | Cp0State.EBaseWriteGate);
        h.SetStatus(PrivilegeMode.Kernel);
        h.Load(Syscall());
        var r = h.Run(1_000_000);
        Assert.Equal(ExitKind.ExceptionLoop, r.Kind);
        Assert.Equal(0L, r.Retired);
        Assert.Equal(Code, h.Cp0.EPC); // the first exception's EPC survives (EXL stayed set)
    }

    [Fact]
    public void Index_keeps_only_as_many_bits_as_the_TLB_needs()
    {
        // PRA: Index bits 30..n (n = ceil(log2(TLB entries))) "must be written as zero;
        // returns zero on read". With 16 entries the field is bits 3..0.
        using var h = new CpuHarness(tlbSize: 16);
        h[T0] = 0xFF;
        h.Execute(Mtc0(T0, Cp0.Index), Mfc0(T1, Cp0.Index));
        Assert.Equal(0xFu, h[T1]);
    }

    [Fact]
    public void Writing_Cause_does_not_clear_a_pending_timer_interrupt()
    {
        using var h = new CpuHarness();
        h.Core.Cp0.RaiseTimerInterrupt();
        h.Core.Cp0Changed(Cp0WriteEffect.Interrupts);
        h.Execute(Mtc0(Zero, Cp0.Cause), Mfc0(T0, Cp0.Cause));
        Assert.Equal(CauseBits.TI | CauseBits.IP7, h[T0] & (CauseBits.TI | CauseBits.IP7));
    }

    [Fact]
    public void RetiredIn_counts_instructions_per_privilege_mode()
    {
        using var h = new CpuHarness();
        h.EnterUserMode(Nop, Nop, Nop, Syscall());
        h.RunToException();
        Assert.Equal(3L, h.Core.RetiredIn(PrivilegeMode.User));
        Assert.Equal(0L, h.Core.RetiredIn(PrivilegeMode.Kernel));
    }
}
