using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// Integer add/subtract, set-on-less-than, logical operations and LUI, from the MIPS32
/// Volume II descriptions: the trapping forms raise Integer Overflow and leave the
/// destination unmodified; the "unsigned" forms wrap; immediates are sign-extended
/// except for ANDI/ORI/XORI, which zero-extend.
/// </summary>
public sealed class ArithmeticTests
{
    private const uint Sentinel = 0xDEADBEEF;

    private static uint Binary(uint insn, uint a, uint b)
    {
        using var h = new CpuHarness();
        h[T0] = a;
        h[T1] = b;
        h[T2] = Sentinel;
        h.Execute(insn);
        return h[T2];
    }

    private static uint Immediate(Func<int, int, int, uint> op, uint a, int imm)
    {
        using var h = new CpuHarness();
        h[T0] = a;
        h[T1] = Sentinel;
        h.Execute(op(T1, T0, imm));
        return h[T1];
    }

    private static void AssertOverflowLeavesDestination(uint insn, uint a, uint b, int rd)
    {
        using var h = new CpuHarness();
        h[T0] = a;
        h[T1] = b;
        h[rd] = Sentinel;
        var e = h.ExecuteExpecting(ExcCode.Ov, insn);
        Assert.Equal(CpuHarness.CodeBase, e.Pc);
        Assert.False(e.InDelaySlot);
        Assert.Equal(insn, e.Instruction);
        Assert.Equal(Sentinel, h[rd]);
        Assert.Equal(a, h[T0]);
        Assert.Equal(CpuHarness.CodeBase, h.Core.Pc);
    }

    // ---- ADD / ADDU ---------------------------------------------------------------------

    [Theory]
    [InlineData(1u, 2u, 3u)]
    [InlineData(0xFFFFFFFFu, 1u, 0u)]                 // -1 + 1
    [InlineData(0x7FFFFFFEu, 1u, 0x7FFFFFFFu)]        // just below overflow
    [InlineData(0x80000001u, 0xFFFFFFFFu, 0x80000000u)] // just above negative overflow
    [InlineData(0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu)] // opposite signs never overflow
    [InlineData(0u, 0u, 0u)]
    public void Add_without_overflow(uint a, uint b, uint sum) => Assert.Equal(sum, Binary(Add(T2, T0, T1), a, b));

    [Theory]
    [InlineData(0x7FFFFFFFu, 1u)]
    [InlineData(1u, 0x7FFFFFFFu)]
    [InlineData(0x80000000u, 0xFFFFFFFFu)]
    [InlineData(0x80000000u, 0x80000000u)]
    [InlineData(0x40000000u, 0x40000000u)]
    [InlineData(0x7FFFFFFFu, 0x7FFFFFFFu)]
    public void Add_overflow_traps_and_leaves_rd_unchanged(uint a, uint b) =>
        AssertOverflowLeavesDestination(Add(T2, T0, T1), a, b, T2);

    [Fact]
    public void Add_overflow_with_rd_equal_to_a_source_leaves_that_source_intact()
    {
        using var h = new CpuHarness();
        h[T0] = 0x7FFFFFFF;
        h[T1] = 0x00000001;
        h.ExecuteExpecting(ExcCode.Ov, Add(T1, T0, T1));
        Assert.Equal(1u, h[T1]);
        Assert.Equal(0x7FFFFFFFu, h[T0]);
    }

    [Theory]
    [InlineData(0x7FFFFFFFu, 1u, 0x80000000u)]
    [InlineData(0x80000000u, 0xFFFFFFFFu, 0x7FFFFFFFu)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFEu)]
    [InlineData(0x80000000u, 0x80000000u, 0u)]
    [InlineData(12345u, 54321u, 66666u)]
    public void Addu_wraps_silently(uint a, uint b, uint sum) => Assert.Equal(sum, Binary(Addu(T2, T0, T1), a, b));

    // ---- ADDI / ADDIU -------------------------------------------------------------------

    [Theory]
    [InlineData(5u, -1, 4u)]
    [InlineData(0u, -32768, 0xFFFF8000u)]
    [InlineData(0u, 32767, 0x00007FFFu)]
    [InlineData(0x7FFF8000u, 32767, 0x7FFFFFFFu)]
    [InlineData(0x80000000u, 0, 0x80000000u)]
    [InlineData(0x80008000u, -32768, 0x80000000u)]
    public void Addi_sign_extends_its_immediate(uint a, int imm, uint sum) => Assert.Equal(sum, Immediate(Addi, a, imm));

    [Theory]
    [InlineData(0x7FFFFFFFu, 1)]
    [InlineData(0x7FFF8001u, 32767)]
    [InlineData(0x80000000u, -1)]
    [InlineData(0x80007FFEu, -32768)]
    public void Addi_overflow_traps_and_leaves_rt_unchanged(uint a, int imm)
    {
        using var h = new CpuHarness();
        h[T0] = a;
        h[T1] = Sentinel;
        h.ExecuteExpecting(ExcCode.Ov, Addi(T1, T0, imm));
        Assert.Equal(Sentinel, h[T1]);
    }

    [Theory]
    [InlineData(0x7FFFFFFFu, 1, 0x80000000u)]
    [InlineData(0x80000000u, -1, 0x7FFFFFFFu)]
    [InlineData(0xFFFFFFFFu, 1, 0u)]
    [InlineData(0x00010000u, -1, 0x0000FFFFu)]
    [InlineData(0u, -32768, 0xFFFF8000u)]
    [InlineData(0x12345678u, 0x7FFF, 0x1234D677u)]
    public void Addiu_sign_extends_and_wraps(uint a, int imm, uint sum) => Assert.Equal(sum, Immediate(Addiu, a, imm));

    // ---- SUB / SUBU ---------------------------------------------------------------------

    [Theory]
    [InlineData(3u, 5u, 0xFFFFFFFEu)]
    [InlineData(0u, 0x7FFFFFFFu, 0x80000001u)]
    [InlineData(0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u)] // -1 - MAX = MIN, no overflow
    [InlineData(0x80000000u, 0u, 0x80000000u)] // MIN - 0
    [InlineData(0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu)] // -1 - MIN = MAX
    public void Sub_without_overflow(uint a, uint b, uint difference) => Assert.Equal(difference, Binary(Sub(T2, T0, T1), a, b));

    [Theory]
    [InlineData(0x80000000u, 1u)]
    [InlineData(0x7FFFFFFFu, 0xFFFFFFFFu)]
    [InlineData(0u, 0x80000000u)]
    [InlineData(0x80000000u, 0x7FFFFFFFu)]
    public void Sub_overflow_traps_and_leaves_rd_unchanged(uint a, uint b) =>
        AssertOverflowLeavesDestination(Sub(T2, T0, T1), a, b, T2);

    [Theory]
    [InlineData(0x80000000u, 1u, 0x7FFFFFFFu)]
    [InlineData(0u, 1u, 0xFFFFFFFFu)]
    [InlineData(0u, 0x80000000u, 0x80000000u)]
    [InlineData(10u, 3u, 7u)]
    public void Subu_wraps_silently(uint a, uint b, uint difference) => Assert.Equal(difference, Binary(Subu(T2, T0, T1), a, b));

    // ---- SLT / SLTU / SLTI / SLTIU -----------------------------------------------------------

    [Theory]
    [InlineData(0xFFFFFFFFu, 0u, 1u)]       // -1 < 0
    [InlineData(0u, 0xFFFFFFFFu, 0u)]
    [InlineData(0x80000000u, 0x7FFFFFFFu, 1u)]
    [InlineData(0x7FFFFFFFu, 0x80000000u, 0u)]
    [InlineData(5u, 5u, 0u)]
    [InlineData(4u, 5u, 1u)]
    public void Slt_compares_signed(uint a, uint b, uint result) => Assert.Equal(result, Binary(Slt(T2, T0, T1), a, b));

    [Theory]
    [InlineData(0xFFFFFFFFu, 0u, 0u)]
    [InlineData(0u, 0xFFFFFFFFu, 1u)]
    [InlineData(0x80000000u, 0x7FFFFFFFu, 0u)]
    [InlineData(0x7FFFFFFFu, 0x80000000u, 1u)]
    [InlineData(5u, 5u, 0u)]
    [InlineData(4u, 5u, 1u)]
    public void Sltu_compares_unsigned(uint a, uint b, uint result) => Assert.Equal(result, Binary(Sltu(T2, T0, T1), a, b));

    [Theory]
    [InlineData(0xFFFFFFFEu, -1, 1u)]  // -2 < -1
    [InlineData(0xFFFFFFFFu, -1, 0u)]
    [InlineData(0u, -1, 0u)]
    [InlineData(0x80000000u, -32768, 1u)]
    [InlineData(0x7FFFFFFFu, 32767, 0u)]
    [InlineData(32766u, 32767, 1u)]
    [InlineData(0xFFFF8000u, -32768, 0u)]
    public void Slti_compares_signed_with_a_sign_extended_immediate(uint a, int imm, uint result) =>
        Assert.Equal(result, Immediate(Slti, a, imm));

    [Theory]
    [InlineData(0u, -1, 1u)]             // 0 < 0xFFFFFFFF
    [InlineData(0xFFFFFFFEu, -1, 1u)]
    [InlineData(0xFFFFFFFFu, -1, 0u)]
    [InlineData(0x7FFFFFFFu, -32768, 1u)] // imm becomes 0xFFFF8000, a large unsigned number
    [InlineData(0xFFFF8000u, -32768, 0u)]
    [InlineData(0xFFFF7FFFu, -32768, 1u)]
    [InlineData(0x8000u, 0x7FFF, 0u)]
    [InlineData(0x7FFEu, 0x7FFF, 1u)]
    public void Sltiu_sign_extends_then_compares_unsigned(uint a, int imm, uint result) =>
        Assert.Equal(result, Immediate(Sltiu, a, imm));

    // ---- logical ----------------------------------------------------------------------

    [Theory]
    [InlineData(0xF0F0F0F0u, 0xFF00FF00u)]
    [InlineData(0xFFFFFFFFu, 0u)]
    [InlineData(0x12345678u, 0x87654321u)]
    public void And_or_xor_nor(uint a, uint b)
    {
        Assert.Equal(a & b, Binary(And(T2, T0, T1), a, b));
        Assert.Equal(a | b, Binary(Or(T2, T0, T1), a, b));
        Assert.Equal(a ^ b, Binary(Xor(T2, T0, T1), a, b));
        Assert.Equal(~(a | b), Binary(Nor(T2, T0, T1), a, b));
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, 0x8000, 0x00008000u)]
    [InlineData(0xFFFFFFFFu, 0xFFFF, 0x0000FFFFu)]
    [InlineData(0x12345678u, 0x0F0F, 0x00000608u)]
    public void Andi_zero_extends(uint a, int imm, uint result) => Assert.Equal(result, Immediate(Andi, a, imm));

    [Theory]
    [InlineData(0u, 0x8000, 0x00008000u)]
    [InlineData(0x12340000u, 0xFFFF, 0x1234FFFFu)]
    [InlineData(0xFFFF0000u, 0x8001, 0xFFFF8001u)]
    public void Ori_zero_extends(uint a, int imm, uint result) => Assert.Equal(result, Immediate(Ori, a, imm));

    [Theory]
    [InlineData(0xFFFFFFFFu, 0x8000, 0xFFFF7FFFu)]
    [InlineData(0u, 0xFFFF, 0x0000FFFFu)]
    [InlineData(0x0000FFFFu, 0xFFFF, 0u)]
    public void Xori_zero_extends(uint a, int imm, uint result) => Assert.Equal(result, Immediate(Xori, a, imm));

    [Theory]
    [InlineData(0x0000, 0x00000000u)]
    [InlineData(0x8000, 0x80000000u)]
    [InlineData(0xFFFF, 0xFFFF0000u)]
    [InlineData(0x1234, 0x12340000u)]
    public void Lui_places_the_immediate_in_the_upper_half_and_clears_the_lower(int imm, uint result)
    {
        using var h = new CpuHarness();
        h[T0] = 0xFFFFFFFF;
        h.Execute(Lui(T0, imm));
        Assert.Equal(result, h[T0]);
    }

    [Fact]
    public void Li_builds_any_constant()
    {
        using var h = new CpuHarness();
        h.Execute(Li(T3, 0x8000FFFF));
        Assert.Equal(0x8000FFFFu, h[T3]);
    }

    // ---- $zero ------------------------------------------------------------------------

    [Fact]
    public void Writes_to_zero_are_discarded()
    {
        using var h = new CpuHarness();
        h[T0] = 0x1234;
        h.Execute(
            Addiu(Zero, Zero, 5),
            Addu(Zero, T0, T0),
            Lui(Zero, 0xFFFF),
            Ori(Zero, T0, 1),
            Addu(T1, Zero, Zero),
            Sll(Zero, T0, 4),
            Mul(Zero, T0, T0),
            Seb(Zero, T0),
            Ext(Zero, T0, 0, 8),
            Addu(T2, Zero, T0));
        Assert.Equal(0u, h[Zero]);
        Assert.Equal(0u, h[T1]);
        Assert.Equal(0x1234u, h[T2]);
    }

    [Fact]
    public void A_load_into_zero_is_discarded()
    {
        using var h = new CpuHarness();
        h.Write32(CpuHarness.DataPhys, 0xCAFEF00D);
        h.Execute([.. Li(T0, CpuHarness.DataBase), Lw(Zero, 0, T0), Addu(T1, Zero, Zero)]);
        Assert.Equal(0u, h[Zero]);
        Assert.Equal(0u, h[T1]);
    }

    [Fact]
    public void Jal_linking_to_zero_via_jalr_is_discarded()
    {
        using var h = new CpuHarness();
        uint target = CpuHarness.CodeBase + 0x20;
        h.Place(CpuHarness.Phys(target), Addu(T1, Zero, Zero), Break());
        h.Load([.. Li(T0, target), Jalr(Zero, T0), Nop]);
        Assert.Equal(target + 4, h.RunToBreak());
        Assert.Equal(0u, h[Zero]);
    }

    [Fact]
    public void Setting_zero_from_outside_is_ignored_too()
    {
        using var h = new CpuHarness();
        h[Zero] = 42;
        Assert.Equal(0u, h[Zero]);
    }
}
