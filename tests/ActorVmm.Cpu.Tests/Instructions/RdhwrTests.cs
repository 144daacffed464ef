using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// RDHWR (Release 2): registers 0 CPUNum, 1 SYNCI_Step, 2 CC, 3 CCRes. Volume II: "Access to
/// the specified hardware register is enabled if Coprocessor 0 is enabled, or if the
/// corresponding bit is set in the HWREna register"; otherwise, and for registers that do
/// not exist, Reserved Instruction.
/// </summary>
public sealed class RdhwrTests
{
    private static CpuHarness User(uint hwrEna, uint statusExtra, params uint[] code)
    {
        var h = new CpuHarness();
        h.WriteCp0(Cp0Register.HWREna, hwrEna);
        h.EnterMappedMode(PrivilegeMode.User, statusExtra, [.. code, Break()]);
        return h;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void User_mode_rdhwr_with_its_HWREna_bit_clear_raises_RI(int register)
    {
        uint others = 0xFu & ~(1u << register);
        using var h = User(others, 0, Rdhwr(T0, register));
        h[T0] = 0xDEADBEEF;
        var e = h.RunToException();
        Assert.Equal(ExcCode.RI, e.Code);
        Assert.Equal(CpuHarness.UserCode, e.Pc);
        Assert.Equal(0xDEADBEEFu, h[T0]);
    }

    [Fact]
    public void User_mode_rdhwr_with_HWREna_bits_set_reads_the_registers()
    {
        using var h = User(0xF, 0, Rdhwr(T0, 0), Rdhwr(T1, 2), Rdhwr(T2, 3), Rdhwr(T3, 1));
        h.WriteCp0(Cp0Register.Count, 5000);
        Assert.Equal(CpuHarness.UserCode + 16, h.RunToBreak());
        Assert.Equal(0u, h[T0]);          // CPUNum = EBase.CPUNum of CPU 0
        Assert.Equal(5001u, h[T1]);       // CC = Count when the instruction executes
        Assert.Equal(1u, h[T2]);          // CCRes: Count advances every instruction
        Assert.NotEqual(0u, h[T3]);
    }

    [Fact]
    public void Rdhwr_cc_reads_the_live_count()
    {
        using var h = new CpuHarness();
        h.WriteCp0(Cp0Register.Count, 100);
        h.Execute(Nop, Nop, Nop, Rdhwr(T0, 2), Mfc0(T1, Cp0.Count));
        Assert.Equal(103u, h[T0]);
        Assert.Equal(104u, h[T1]);
    }

    [Fact]
    public void Kernel_mode_rdhwr_needs_no_HWREna_bit()
    {
        using var h = new CpuHarness();
        h.WriteCp0(Cp0Register.HWREna, 0);
        h.Execute(Rdhwr(T0, 0), Rdhwr(T1, 3));
        Assert.Equal(0u, h[T0]);
        Assert.Equal(1u, h[T1]);
    }

    [Fact]
    public void User_mode_rdhwr_of_a_nonexistent_register_raises_RI_even_with_all_HWREna_bits()
    {
        using var h = User(0xFFFFFFFF, 0, Rdhwr(T0, 4));
        Assert.Equal(ExcCode.RI, h.RunToException().Code);
    }

    [Fact]
    public void User_mode_rdhwr_is_allowed_when_CU0_enables_coprocessor_0()
    {
        // "enabled if Coprocessor 0 is enabled, or if the corresponding bit is set in HWREna":
        // with Status.CU0 = 1 the user program may read CCRes although HWREna is 0.
        using var h = User(0, StatusBits.CU0, Rdhwr(T0, 3));
        var e = h.RunToException();
        Assert.True(e.Code == ExcCode.Bp, $"expected RDHWR to complete, got {e}");
        Assert.Equal(1u, h[T0]);
    }

    [Fact]
    public void Rdhwr_synci_step_equals_the_cache_line_size_Config1_reports()
    {
        // SYNCI_Step is the step for SYNCI over a range; it must not exceed the smallest
        // cache line, or lines are skipped. Config1.IL/DL encode a line of 2^(L+1) bytes.
        using var h = new CpuHarness();
        h.Execute(Rdhwr(T0, 1), Mfc0(T1, Cp0.Config1));
        uint config1 = h[T1];
        uint il = (config1 >> 19) & 7;
        uint dl = (config1 >> 10) & 7;
        uint line = Math.Min(il == 0 ? uint.MaxValue : 2u << (int)il, dl == 0 ? uint.MaxValue : 2u << (int)dl);
        Assert.Equal(line, h[T0]);
    }
}
