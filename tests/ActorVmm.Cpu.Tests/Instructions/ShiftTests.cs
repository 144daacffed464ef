using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// SLL/SRL/SRA/ROTR by an immediate amount (0..31), and SLLV/SRLV/SRAV/ROTRV, which use only
/// the low five bits of rs (MIPS32 Volume II: "s ← GPR[rs]4..0").
/// </summary>
public sealed class ShiftTests
{
    private static uint ByImmediate(Func<int, int, int, uint> op, uint value, int sa)
    {
        using var h = new CpuHarness();
        h[T1] = value;
        h[T2] = 0xDEADBEEF;
        h.Execute(op(T2, T1, sa));
        return h[T2];
    }

    private static uint ByRegister(Func<int, int, int, uint> op, uint value, uint amount)
    {
        using var h = new CpuHarness();
        h[T1] = value;
        h[T0] = amount;
        h[T2] = 0xDEADBEEF;
        h.Execute(op(T2, T1, T0));
        Assert.Equal(amount, h[T0]);
        return h[T2];
    }

    [Theory]
    [InlineData(0x80000001u, 0, 0x80000001u)]
    [InlineData(0x80000001u, 1, 0x00000002u)]
    [InlineData(0x00000001u, 31, 0x80000000u)]
    [InlineData(0xFFFFFFFFu, 31, 0x80000000u)]
    [InlineData(0x12345678u, 4, 0x23456780u)]
    [InlineData(0x12345678u, 16, 0x56780000u)]
    public void Sll(uint value, int sa, uint result) => Assert.Equal(result, ByImmediate(Asm.Sll, value, sa));

    [Theory]
    [InlineData(0x80000001u, 0, 0x80000001u)]
    [InlineData(0x80000000u, 1, 0x40000000u)]
    [InlineData(0x80000000u, 31, 0x00000001u)]
    [InlineData(0xFFFFFFFFu, 31, 0x00000001u)]
    [InlineData(0x12345678u, 4, 0x01234567u)]
    public void Srl_shifts_in_zeros(uint value, int sa, uint result) => Assert.Equal(result, ByImmediate(Asm.Srl, value, sa));

    [Theory]
    [InlineData(0x80000000u, 0, 0x80000000u)]
    [InlineData(0x80000000u, 1, 0xC0000000u)]
    [InlineData(0x80000000u, 31, 0xFFFFFFFFu)]
    [InlineData(0x7FFFFFFFu, 31, 0x00000000u)]
    [InlineData(0x7FFFFFFFu, 30, 0x00000001u)]
    [InlineData(0xF0000000u, 4, 0xFF000000u)]
    public void Sra_shifts_in_the_sign(uint value, int sa, uint result) => Assert.Equal(result, ByImmediate(Asm.Sra, value, sa));

    [Theory]
    [InlineData(0x12345678u, 0, 0x12345678u)]
    [InlineData(0x12345678u, 4, 0x81234567u)]
    [InlineData(0x12345678u, 8, 0x78123456u)]
    [InlineData(0x80000001u, 1, 0xC0000000u)]
    [InlineData(0x00000001u, 31, 0x00000002u)]
    [InlineData(0x12345678u, 16, 0x56781234u)]
    public void Rotr(uint value, int sa, uint result) => Assert.Equal(result, ByImmediate(Asm.Rotr, value, sa));

    [Theory]
    [InlineData(0x00000001u, 0u, 0x00000001u)]
    [InlineData(0x00000001u, 31u, 0x80000000u)]
    [InlineData(0x00000001u, 32u, 0x00000001u)]          // only bits 4..0: 32 is 0
    [InlineData(0x00000001u, 33u, 0x00000002u)]
    [InlineData(0x00000001u, 0xFFFFFFFFu, 0x80000000u)] // low five bits are 31
    [InlineData(0x0000FFFFu, 0xFFFFFFF0u, 0xFFFF0000u)] // low five bits are 16
    public void Sllv_uses_only_the_low_five_bits(uint value, uint amount, uint result) =>
        Assert.Equal(result, ByRegister(Asm.Sllv, value, amount));

    [Theory]
    [InlineData(0x80000000u, 0u, 0x80000000u)]
    [InlineData(0x80000000u, 31u, 0x00000001u)]
    [InlineData(0x80000000u, 32u, 0x80000000u)]
    [InlineData(0x80000000u, 0x21u, 0x40000000u)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFE4u, 0x0FFFFFFFu)] // low five bits are 4
    public void Srlv_uses_only_the_low_five_bits(uint value, uint amount, uint result) =>
        Assert.Equal(result, ByRegister(Asm.Srlv, value, amount));

    [Theory]
    [InlineData(0x80000000u, 0u, 0x80000000u)]
    [InlineData(0x80000000u, 31u, 0xFFFFFFFFu)]
    [InlineData(0x80000000u, 32u, 0x80000000u)]
    [InlineData(0x80000000u, 0x3Fu, 0xFFFFFFFFu)]
    [InlineData(0x40000000u, 0x3Eu, 0x00000001u)]
    public void Srav_uses_only_the_low_five_bits(uint value, uint amount, uint result) =>
        Assert.Equal(result, ByRegister(Asm.Srav, value, amount));

    [Theory]
    [InlineData(0x12345678u, 0u, 0x12345678u)]
    [InlineData(0x12345678u, 4u, 0x81234567u)]
    [InlineData(0x12345678u, 36u, 0x81234567u)]
    [InlineData(0x12345678u, 0xFFFFFFE0u, 0x12345678u)]
    [InlineData(0x00000001u, 0xFFFFFFFFu, 0x00000002u)]
    public void Rotrv_uses_only_the_low_five_bits(uint value, uint amount, uint result) =>
        Assert.Equal(result, ByRegister(Asm.Rotrv, value, amount));

    [Fact]
    public void Shift_amount_register_may_be_the_destination()
    {
        using var h = new CpuHarness();
        h[T0] = 4;
        h[T1] = 0x10;
        h.Execute(Sllv(T0, T1, T0));
        Assert.Equal(0x100u, h[T0]);
    }

    [Fact]
    public void Nop_ssnop_and_ehb_change_nothing()
    {
        using var h = new CpuHarness();
        for (int r = 1; r < 32; r++)
        {
            h[r] = (uint)r * 0x01010101u;
        }

        h.Execute(Nop, Ssnop, Ehb);
        for (int r = 1; r < 32; r++)
        {
            Assert.Equal((uint)r * 0x01010101u, h[r]);
        }

        Assert.Equal(3L, h.Core.Retired);
    }
}
