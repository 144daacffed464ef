using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// HI/LO: MULT/MULTU (64-bit products), DIV/DIVU (quotient in LO, remainder in HI, truncating
/// toward zero, remainder with the dividend's sign), MADD/MADDU/MSUB/MSUBU on the 64-bit
/// HI:LO accumulator, MFHI/MFLO/MTHI/MTLO, and MUL (low word to rd). Division by zero and
/// INT_MIN / -1 are UNPREDICTABLE in the manual; docs/MACHINE.md fixes LO = dividend, HI = 0.
/// </summary>
public sealed class MultiplyDivideTests
{
    private static (uint Hi, uint Lo) HiLo(uint insn, uint a, uint b, uint hi = 0xAAAAAAAA, uint lo = 0x55555555)
    {
        using var h = new CpuHarness();
        h[T0] = a;
        h[T1] = b;
        h.Core.Hi = hi;
        h.Core.Lo = lo;
        h.Execute(insn);
        Assert.Equal(a, h[T0]);
        Assert.Equal(b, h[T1]);
        return (h.Core.Hi, h.Core.Lo);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(-3, 4)]
    [InlineData(3, -4)]
    [InlineData(-3, -4)]
    [InlineData(int.MinValue, int.MinValue)]
    [InlineData(int.MinValue, -1)]
    [InlineData(int.MaxValue, int.MaxValue)]
    [InlineData(-1, -1)]
    [InlineData(0, -1)]
    [InlineData(0x10000, 0x10000)]
    public void Mult_gives_the_signed_64_bit_product(int a, int b)
    {
        long p = (long)a * b;
        var (hi, lo) = HiLo(Mult(T0, T1), (uint)a, (uint)b);
        Assert.Equal((uint)(p >> 32), hi);
        Assert.Equal((uint)p, lo);
    }

    [Fact]
    public void Mult_of_minus_one_by_one_sets_hi_to_all_ones()
    {
        var (hi, lo) = HiLo(Mult(T0, T1), 0xFFFFFFFF, 1);
        Assert.Equal(0xFFFFFFFFu, hi);
        Assert.Equal(0xFFFFFFFFu, lo);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFEu, 0x00000001u)]
    [InlineData(0xFFFFFFFFu, 1u, 0u, 0xFFFFFFFFu)]
    [InlineData(0x80000000u, 2u, 1u, 0u)]
    [InlineData(0x80000000u, 0x80000000u, 0x40000000u, 0u)]
    [InlineData(0x12345678u, 0x9ABCDEF0u, 0x0B00EA4Eu, 0x242D2080u)]
    public void Multu_gives_the_unsigned_64_bit_product(uint a, uint b, uint hi, uint lo) =>
        Assert.Equal((hi, lo), HiLo(Multu(T0, T1), a, b));

    [Theory]
    [InlineData(7, 2, 3, 1)]
    [InlineData(-7, 2, -3, -1)]   // truncation toward zero, remainder takes the dividend's sign
    [InlineData(7, -2, -3, 1)]
    [InlineData(-7, -2, 3, -1)]
    [InlineData(int.MinValue, 1, int.MinValue, 0)]
    [InlineData(int.MinValue, 2, -0x40000000, 0)]
    [InlineData(int.MaxValue, -1, -int.MaxValue, 0)]
    [InlineData(5, 7, 0, 5)]
    [InlineData(-5, 7, 0, -5)]
    public void Div_truncates_toward_zero(int a, int b, int quotient, int remainder)
    {
        var (hi, lo) = HiLo(Div(T0, T1), (uint)a, (uint)b);
        Assert.Equal((uint)quotient, lo);
        Assert.Equal((uint)remainder, hi);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, 2u, 0x7FFFFFFFu, 1u)]
    [InlineData(0x80000000u, 0xFFFFFFFFu, 0u, 0x80000000u)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu, 1u, 0u)]
    [InlineData(100u, 7u, 14u, 2u)]
    [InlineData(0x80000000u, 3u, 0x2AAAAAAAu, 2u)]
    public void Divu_is_unsigned(uint a, uint b, uint quotient, uint remainder) =>
        Assert.Equal((remainder, quotient), HiLo(Divu(T0, T1), a, b));

    [Theory]
    [InlineData(0x12345678u)]
    [InlineData(0x80000000u)]
    [InlineData(0u)]
    public void Div_by_zero_does_not_trap_and_gives_the_documented_result(uint dividend)
    {
        var (hi, lo) = HiLo(Div(T0, T1), dividend, 0);
        Assert.Equal(dividend, lo);
        Assert.Equal(0u, hi);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(7u)]
    public void Divu_by_zero_does_not_trap_and_gives_the_documented_result(uint dividend)
    {
        var (hi, lo) = HiLo(Divu(T0, T1), dividend, 0);
        Assert.Equal(dividend, lo);
        Assert.Equal(0u, hi);
    }

    [Fact]
    public void Div_int_min_by_minus_one_does_not_trap_and_gives_int_min_remainder_zero()
    {
        var (hi, lo) = HiLo(Div(T0, T1), 0x80000000, 0xFFFFFFFF);
        Assert.Equal(0x80000000u, lo);
        Assert.Equal(0u, hi);
    }

    [Fact]
    public void Mfhi_mflo_read_and_mthi_mtlo_write_the_accumulator()
    {
        using var h = new CpuHarness();
        h[T0] = 0x11111111;
        h[T1] = 0x22222222;
        h.Execute(Mthi(T0), Mtlo(T1), Mfhi(T2), Mflo(T3));
        Assert.Equal(0x11111111u, h.Core.Hi);
        Assert.Equal(0x22222222u, h.Core.Lo);
        Assert.Equal(0x11111111u, h[T2]);
        Assert.Equal(0x22222222u, h[T3]);
    }

    // ---- MADD / MADDU / MSUB / MSUBU --------------------------------------------------------

    [Theory]
    // LO + low(product) carries into HI
    [InlineData(0x00000000u, 0xFFFFFFFFu, 1, 1, 0x00000001u, 0x00000000u)]
    // signed: adding -1 * 1 borrows from HI
    [InlineData(0x00000001u, 0x00000000u, -1, 1, 0x00000000u, 0xFFFFFFFFu)]
    [InlineData(0x00000000u, 0x00000000u, -2, 3, 0xFFFFFFFFu, 0xFFFFFFFAu)]
    [InlineData(0x7FFFFFFFu, 0xFFFFFFFFu, 1, 1, 0x80000000u, 0x00000000u)] // 64-bit wrap
    [InlineData(0x00000000u, 0x80000000u, int.MinValue, int.MinValue, 0x40000000u, 0x80000000u)]
    public void Madd_accumulates_the_signed_product_with_carry(uint hi0, uint lo0, int a, int b, uint hi, uint lo) =>
        Assert.Equal((hi, lo), HiLo(Madd(T0, T1), (uint)a, (uint)b, hi0, lo0));

    [Theory]
    [InlineData(0x00000000u, 0xFFFFFFFFu, 1u, 1u, 0x00000001u, 0x00000000u)]
    [InlineData(0x00000000u, 0x00000001u, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFEu, 0x00000002u)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu, 1u, 1u, 0x00000000u, 0x00000000u)] // 64-bit wrap
    [InlineData(0x00000005u, 0x80000000u, 0x80000000u, 2u, 0x00000006u, 0x80000000u)]
    public void Maddu_accumulates_the_unsigned_product_with_carry(uint hi0, uint lo0, uint a, uint b, uint hi, uint lo) =>
        Assert.Equal((hi, lo), HiLo(Maddu(T0, T1), a, b, hi0, lo0));

    [Theory]
    [InlineData(0x00000001u, 0x00000000u, 1, 1, 0x00000000u, 0xFFFFFFFFu)] // borrow from HI
    [InlineData(0x00000000u, 0x00000000u, -1, 1, 0x00000000u, 0x00000001u)]
    [InlineData(0x00000000u, 0x00000000u, 2, 3, 0xFFFFFFFFu, 0xFFFFFFFAu)]
    [InlineData(0x80000000u, 0x00000000u, 1, 1, 0x7FFFFFFFu, 0xFFFFFFFFu)] // 64-bit wrap
    public void Msub_subtracts_the_signed_product_with_borrow(uint hi0, uint lo0, int a, int b, uint hi, uint lo) =>
        Assert.Equal((hi, lo), HiLo(Msub(T0, T1), (uint)a, (uint)b, hi0, lo0));

    [Theory]
    [InlineData(0x00000001u, 0x00000000u, 1u, 1u, 0x00000000u, 0xFFFFFFFFu)]
    [InlineData(0x00000000u, 0x00000000u, 0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000001u, 0xFFFFFFFFu)]
    [InlineData(0x00000000u, 0x00000000u, 1u, 1u, 0xFFFFFFFFu, 0xFFFFFFFFu)]
    public void Msubu_subtracts_the_unsigned_product_with_borrow(uint hi0, uint lo0, uint a, uint b, uint hi, uint lo) =>
        Assert.Equal((hi, lo), HiLo(Msubu(T0, T1), a, b, hi0, lo0));

    // ---- MUL -------------------------------------------------------------------------

    [Theory]
    [InlineData(3, 4, 12u)]
    [InlineData(-3, 4, 0xFFFFFFF4u)]
    [InlineData(-3, -4, 12u)]
    [InlineData(0x10000, 0x10000, 0u)]          // only the low word
    [InlineData(int.MinValue, -1, 0x80000000u)]
    [InlineData(0x12345678, 0x10, 0x23456780u)]
    public void Mul_writes_the_low_word_of_the_product_to_rd(int a, int b, uint result)
    {
        using var h = new CpuHarness();
        h[T0] = (uint)a;
        h[T1] = (uint)b;
        h.Execute(Mul(T2, T0, T1));
        Assert.Equal(result, h[T2]);
    }
}
