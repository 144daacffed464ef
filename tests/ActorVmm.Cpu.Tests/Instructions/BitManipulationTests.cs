using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>CLZ/CLO, the Release 2 bit-field and byte-shuffle instructions, and MOVN/MOVZ.</summary>
public sealed class BitManipulationTests
{
    private static uint Unary(uint insn, uint value, uint destinationBefore = 0xDEADBEEF)
    {
        using var h = new CpuHarness();
        h[T0] = value;
        h[T2] = destinationBefore;
        h.Execute(insn);
        Assert.Equal(value, h[T0]);
        return h[T2];
    }

    [Theory]
    [InlineData(0x00000000u, 32u)]
    [InlineData(0xFFFFFFFFu, 0u)]
    [InlineData(0x80000000u, 0u)]
    [InlineData(0x00000001u, 31u)]
    [InlineData(0x00008000u, 16u)]
    [InlineData(0x0FFFFFFFu, 4u)]
    public void Clz_counts_leading_zeros(uint value, uint count) => Assert.Equal(count, Unary(Clz(T2, T0), value));

    [Theory]
    [InlineData(0xFFFFFFFFu, 32u)]
    [InlineData(0x00000000u, 0u)]
    [InlineData(0x7FFFFFFFu, 0u)]
    [InlineData(0xFFFFFFFEu, 31u)]
    [InlineData(0xFFFF0000u, 16u)]
    [InlineData(0xF0000000u, 4u)]
    public void Clo_counts_leading_ones(uint value, uint count) => Assert.Equal(count, Unary(Clo(T2, T0), value));

    [Theory]
    [InlineData(0x0000007Fu, 0x0000007Fu)]
    [InlineData(0x00000080u, 0xFFFFFF80u)]
    [InlineData(0x123456FFu, 0xFFFFFFFFu)]
    [InlineData(0xFFFFFF00u, 0x00000000u)]
    public void Seb_sign_extends_the_low_byte(uint value, uint result) => Assert.Equal(result, Unary(Seb(T2, T0), value));

    [Theory]
    [InlineData(0x00007FFFu, 0x00007FFFu)]
    [InlineData(0x00008000u, 0xFFFF8000u)]
    [InlineData(0x1234FFFEu, 0xFFFFFFFEu)]
    [InlineData(0xFFFF0000u, 0x00000000u)]
    public void Seh_sign_extends_the_low_halfword(uint value, uint result) => Assert.Equal(result, Unary(Seh(T2, T0), value));

    [Theory]
    [InlineData(0x11223344u, 0x22114433u)]
    [InlineData(0xFF00FF00u, 0x00FF00FFu)]
    [InlineData(0x00000000u, 0x00000000u)]
    [InlineData(0x01020304u, 0x02010403u)]
    public void Wsbh_swaps_the_bytes_within_each_halfword(uint value, uint result) => Assert.Equal(result, Unary(Wsbh(T2, T0), value));

    [Fact]
    public void Wsbh_then_rotr_16_is_a_full_byte_swap()
    {
        using var h = new CpuHarness();
        h[T0] = 0x11223344;
        h.Execute(Wsbh(T1, T0), Rotr(T1, T1, 16));
        Assert.Equal(0x44332211u, h[T1]);
    }

    [Theory]
    [InlineData(0x12345678u, 0, 32, 0x12345678u)]
    [InlineData(0x12345678u, 0, 1, 0x00000000u)]
    [InlineData(0x12345679u, 0, 1, 0x00000001u)]
    [InlineData(0x12345678u, 0, 8, 0x00000078u)]
    [InlineData(0x12345678u, 4, 8, 0x00000067u)]
    [InlineData(0x12345678u, 28, 4, 0x00000001u)]
    [InlineData(0x80000000u, 31, 1, 0x00000001u)]
    [InlineData(0xFFFFFFFFu, 1, 31, 0x7FFFFFFFu)]
    [InlineData(0xFFFFFFFFu, 0, 31, 0x7FFFFFFFu)]
    [InlineData(0xABCD1234u, 16, 16, 0x0000ABCDu)]
    [InlineData(0xFFFFFFFFu, 3, 5, 0x0000001Fu)]
    public void Ext_extracts_a_zero_extended_field(uint value, int pos, int size, uint result)
    {
        using var h = new CpuHarness();
        h[T0] = value;
        h[T2] = 0xDEADBEEF;
        h.Execute(Ext(T2, T0, pos, size));
        Assert.Equal(result, h[T2]);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, 0x00000000u, 0, 32, 0xFFFFFFFFu)]
    [InlineData(0x12345678u, 0xFFFFFFFFu, 0, 32, 0x12345678u)]
    [InlineData(0x00000000u, 0xFFFFFFFFu, 0, 1, 0xFFFFFFFEu)]
    [InlineData(0x00000001u, 0x00000000u, 31, 1, 0x80000000u)]
    [InlineData(0x000000ABu, 0x11111111u, 8, 8, 0x1111AB11u)]
    [InlineData(0xFFFFFFABu, 0x11111111u, 8, 8, 0x1111AB11u)] // only size bits of rs are used
    [InlineData(0x0000FFFFu, 0x00000000u, 16, 16, 0xFFFF0000u)]
    [InlineData(0x00000005u, 0xFFFFFFFFu, 4, 3, 0xFFFFFFDFu)]
    [InlineData(0x7FFFFFFFu, 0x00000000u, 1, 31, 0xFFFFFFFEu)]
    public void Ins_replaces_a_field_and_keeps_the_rest(uint source, uint destination, int pos, int size, uint result)
    {
        using var h = new CpuHarness();
        h[T0] = source;
        h[T2] = destination;
        h.Execute(Ins(T2, T0, pos, size));
        Assert.Equal(result, h[T2]);
        Assert.Equal(source, h[T0]);
    }

    [Theory]
    [InlineData(0u, true)]
    [InlineData(1u, false)]
    [InlineData(0x80000000u, false)]
    public void Movz_moves_only_when_rt_is_zero(uint condition, bool moves)
    {
        using var h = new CpuHarness();
        h[T0] = 0x12345678;
        h[T1] = condition;
        h[T2] = 0xDEADBEEF;
        h.Execute(Movz(T2, T0, T1));
        Assert.Equal(moves ? 0x12345678u : 0xDEADBEEFu, h[T2]);
    }

    [Theory]
    [InlineData(0u, false)]
    [InlineData(1u, true)]
    [InlineData(0x80000000u, true)]
    public void Movn_moves_only_when_rt_is_not_zero(uint condition, bool moves)
    {
        using var h = new CpuHarness();
        h[T0] = 0x12345678;
        h[T1] = condition;
        h[T2] = 0xDEADBEEF;
        h.Execute(Movn(T2, T0, T1));
        Assert.Equal(moves ? 0x12345678u : 0xDEADBEEFu, h[T2]);
    }

    [Fact]
    public void Movz_with_rd_equal_to_rt_tests_before_writing()
    {
        using var h = new CpuHarness();
        h[T0] = 7;
        h[T1] = 0;
        h.Execute(Movz(T1, T0, T1));
        Assert.Equal(7u, h[T1]);
    }
}
