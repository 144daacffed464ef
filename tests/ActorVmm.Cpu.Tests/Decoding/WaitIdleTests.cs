using ActorVmm.Cpu;
using Xunit;

namespace ActorVmm.Cpu.Tests.Decoding;

/// <summary>The one WAIT rule the bare board and the monitor share: idle until Count reaches Compare, or say it never will.</summary>
public sealed class WaitIdleTests
{
    [Fact]
    public void Idles_until_count_reaches_compare()
    {
        var cp0 = Timer(count: 1000, compare: 5000);

        Assert.Equal(4000, WaitIdle.CyclesToNextInterrupt(cp0, 1000));
    }

    [Fact]
    public void Compare_equal_to_count_is_a_whole_wrap_away()
    {
        Assert.Equal(1L << 32, WaitIdle.CyclesToNextInterrupt(Timer(7, 7), 7));
    }

    [Fact]
    public void Count_wraps_to_reach_a_compare_below_it()
    {
        Assert.Equal(0x100L + 0x10, WaitIdle.CyclesToNextInterrupt(Timer(0xFFFFFF00, 0x10), 0xFFFFFF00));
    }

    [Fact]
    public void A_pending_enabled_interrupt_wakes_at_once()
    {
        var cp0 = Timer(1000, 5000);
        cp0.Cause |= 1u << 8; // IP0, software interrupt
        cp0.Status |= 1u << 8;

        Assert.Equal(0, WaitIdle.CyclesToNextInterrupt(cp0, 1000));
    }

    [Fact]
    public void With_the_timer_masked_or_count_stopped_nothing_can_wake_the_cpu()
    {
        var masked = Timer(1000, 5000);
        masked.Status &= ~StatusBits.IM7;
        Assert.Equal(WaitIdle.Never, WaitIdle.CyclesToNextInterrupt(masked, 1000));

        var stopped = Timer(1000, 5000);
        stopped.Cause |= CauseBits.DC;
        Assert.Equal(WaitIdle.Never, WaitIdle.CyclesToNextInterrupt(stopped, 1000));
    }

    private static Cp0State Timer(uint count, uint compare)
    {
        var cp0 = Cp0State.Reset(64);
        cp0.Status = StatusBits.IM7 | StatusBits.IE;
        cp0.Count = count;
        cp0.Compare = compare;
        return cp0;
    }
}
