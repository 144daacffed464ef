using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// The conditional traps (register and immediate forms, immediates sign-extended, the -U
/// forms comparing unsigned), SYSCALL and BREAK with their code fields.
/// </summary>
public sealed class TrapTests
{
    private static bool Traps(uint insn, uint rs, uint rt = 0)
    {
        using var h = new CpuHarness();
        h[T0] = rs;
        h[T1] = rt;
        h.Load(insn, Break());
        var e = h.RunToException();
        if (e.Code == ExcCode.Tr)
        {
            Assert.Equal(CpuHarness.CodeBase, e.Pc);
            Assert.Equal(insn, e.Instruction);
            Assert.Equal(0L, h.Core.Retired);
            return true;
        }

        Assert.Equal(ExcCode.Bp, e.Code);
        Assert.Equal(CpuHarness.CodeBase + 4, e.Pc);
        return false;
    }

    [Theory]
    [InlineData(5u, 5u, true)]
    [InlineData(5u, 6u, false)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu, true)]
    public void Teq(uint a, uint b, bool traps) => Assert.Equal(traps, Traps(Asm.Teq(T0, T1), a, b));

    [Theory]
    [InlineData(5u, 5u, false)]
    [InlineData(5u, 6u, true)]
    [InlineData(0u, 0x80000000u, true)]
    public void Tne(uint a, uint b, bool traps) => Assert.Equal(traps, Traps(Asm.Tne(T0, T1), a, b));

    [Theory]
    [InlineData(5u, 5u, true)]
    [InlineData(6u, 5u, true)]
    [InlineData(4u, 5u, false)]
    [InlineData(0xFFFFFFFFu, 0u, false)]  // -1 >= 0 is false (signed)
    [InlineData(0u, 0xFFFFFFFFu, true)]
    [InlineData(0x7FFFFFFFu, 0x80000000u, true)]
    public void Tge_is_signed(uint a, uint b, bool traps) => Assert.Equal(traps, Traps(Asm.Tge(T0, T1), a, b));

    [Theory]
    [InlineData(5u, 5u, true)]
    [InlineData(0xFFFFFFFFu, 0u, true)]   // unsigned
    [InlineData(0u, 0xFFFFFFFFu, false)]
    [InlineData(0x7FFFFFFFu, 0x80000000u, false)]
    public void Tgeu_is_unsigned(uint a, uint b, bool traps) => Assert.Equal(traps, Traps(Asm.Tgeu(T0, T1), a, b));

    [Theory]
    [InlineData(5u, 5u, false)]
    [InlineData(4u, 5u, true)]
    [InlineData(0xFFFFFFFFu, 0u, true)]
    [InlineData(0x80000000u, 0x7FFFFFFFu, true)]
    [InlineData(0u, 0xFFFFFFFFu, false)]
    public void Tlt_is_signed(uint a, uint b, bool traps) => Assert.Equal(traps, Traps(Asm.Tlt(T0, T1), a, b));

    [Theory]
    [InlineData(5u, 5u, false)]
    [InlineData(4u, 5u, true)]
    [InlineData(0xFFFFFFFFu, 0u, false)]
    [InlineData(0u, 0xFFFFFFFFu, true)]
    public void Tltu_is_unsigned(uint a, uint b, bool traps) => Assert.Equal(traps, Traps(Asm.Tltu(T0, T1), a, b));

    [Theory]
    [InlineData(0xFFFFFFFFu, -1, true)]
    [InlineData(0x0000FFFFu, -1, false)] // the immediate is sign-extended, not zero-extended
    [InlineData(7u, 7, true)]
    [InlineData(7u, 8, false)]
    public void Teqi_sign_extends(uint v, int imm, bool traps) => Assert.Equal(traps, Traps(Asm.Teqi(T0, imm), v));

    [Theory]
    [InlineData(0xFFFFFFFFu, -1, false)]
    [InlineData(0x0000FFFFu, -1, true)]
    [InlineData(0u, 0, false)]
    public void Tnei_sign_extends(uint v, int imm, bool traps) => Assert.Equal(traps, Traps(Asm.Tnei(T0, imm), v));

    [Theory]
    [InlineData(0u, -1, true)]
    [InlineData(0xFFFFFFFEu, -1, false)]
    [InlineData(0xFFFFFFFFu, -1, true)]
    [InlineData(0x7FFFu, 0x7FFF, true)]
    [InlineData(0x7FFEu, 0x7FFF, false)]
    public void Tgei_is_signed(uint v, int imm, bool traps) => Assert.Equal(traps, Traps(Asm.Tgei(T0, imm), v));

    [Theory]
    [InlineData(0xFFFFFFFFu, -1, true)]   // -1 sign-extends to 0xFFFFFFFF, the largest unsigned
    [InlineData(0xFFFFFFFEu, -1, false)]
    [InlineData(0x7FFFFFFFu, -32768, false)] // 0xFFFF8000 unsigned
    [InlineData(0xFFFF8000u, -32768, true)]
    [InlineData(100u, 100, true)]
    public void Tgeiu_sign_extends_then_compares_unsigned(uint v, int imm, bool traps) => Assert.Equal(traps, Traps(Asm.Tgeiu(T0, imm), v));

    [Theory]
    [InlineData(0xFFFFFFFEu, -1, true)]
    [InlineData(0xFFFFFFFFu, -1, false)]
    [InlineData(0u, -1, false)]
    [InlineData(0x80000000u, -32768, true)]
    public void Tlti_is_signed(uint v, int imm, bool traps) => Assert.Equal(traps, Traps(Asm.Tlti(T0, imm), v));

    [Theory]
    [InlineData(0u, -1, true)]
    [InlineData(0x7FFFFFFFu, -32768, true)]
    [InlineData(0xFFFFFFFFu, -1, false)]
    [InlineData(7u, 7, false)]
    [InlineData(6u, 7, true)]
    public void Tltiu_sign_extends_then_compares_unsigned(uint v, int imm, bool traps) => Assert.Equal(traps, Traps(Asm.Tltiu(T0, imm), v));

    [Fact]
    public void The_trap_code_field_does_not_change_the_condition()
    {
        Assert.True(Traps(Asm.Teq(T0, T1, 0x3FF), 1, 1));
        Assert.False(Traps(Asm.Teq(T0, T1, 0x3FF), 1, 2));
    }

    // ---- SYSCALL / BREAK --------------------------------------------------------------------

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(0x12345u)]
    [InlineData(0xFFFFFu)]
    public void Syscall_raises_Sys_and_reports_the_instruction_with_its_code(uint code)
    {
        using var h = new CpuHarness();
        h[T0] = 0x1234;
        var e = h.ExecuteExpecting(ExcCode.Sys, Syscall(code));
        Assert.Equal(CpuHarness.CodeBase, e.Pc);
        Assert.Equal(code, (e.Instruction >> 6) & 0xFFFFF);
        Assert.Equal(CpuHarness.CodeBase, h.Core.Pc);
        Assert.Equal(0L, h.Core.Retired);
        Assert.Equal(0x1234u, h[T0]);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(7u << 10)]     // GNU "break 7", what GCC emits for division by zero
    [InlineData((6u << 10) | 3u)]
    [InlineData(0xFFFFFu)]
    public void Break_raises_Bp_and_reports_the_instruction_with_its_code(uint code)
    {
        using var h = new CpuHarness();
        var e = h.ExecuteExpecting(ExcCode.Bp, Break(code));
        Assert.Equal(CpuHarness.CodeBase, e.Pc);
        Assert.Equal(code, (e.Instruction >> 6) & 0xFFFFF);
    }

    [Fact]
    public void Syscall_natively_goes_to_the_general_vector_with_epc_at_the_syscall()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel);
        h.Load(Nop, Nop, Syscall(5));
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(CpuHarness.CodeBase + 8, h.Cp0.EPC);
        Assert.Equal((uint)ExcCode.Sys, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.NotEqual(0u, h.Cp0.Status & StatusBits.EXL);
    }

    [Fact]
    public void Completing_a_syscall_resumes_after_it()
    {
        using var h = new CpuHarness();
        h.Load(Syscall(), Addiu(S0, S0, 1), Break());
        Assert.Equal(ExcCode.Sys, h.RunToException().Code);
        h.Core.CompleteInstruction();
        Assert.Equal(CpuHarness.CodeBase + 8, h.RunToBreak());
        Assert.Equal(1u, h[S0]);
        Assert.Equal(2L, h.Core.Retired);
    }
}
