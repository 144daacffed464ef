namespace ActorVmm.Cpu;

/// <summary>
/// The one rule for a CPU that executed WAIT, on the bare board and under the monitor alike:
/// it idles until the next interrupt, and the only interrupt that can come is the timer's
/// (software interrupts are already pending or never come), so Count jumps to Compare.
/// </summary>
public static class WaitIdle
{
    /// <summary>The CPU can never wake: the timer interrupt is masked or Count is stopped.</summary>
    public const long Never = -1;

    /// <summary>
    /// Cycles to idle after a WAIT with CP0 in <paramref name="cp0"/> and Count at
    /// <paramref name="count"/>: 0 if an enabled interrupt is already pending,
    /// <see cref="Never"/> if nothing can wake the CPU, else the distance to Compare
    /// (a whole wrap of Count when they are equal).
    /// </summary>
    public static long CyclesToNextInterrupt(in Cp0State cp0, uint count)
    {
        if ((cp0.Cause & cp0.Status & CauseBits.IPMask) != 0)
        {
            return 0;
        }

        if ((cp0.Status & StatusBits.IM7) == 0 || cp0.CountStopped)
        {
            return Never;
        }

        uint distance = cp0.Compare - count;
        return distance == 0 ? 1L << 32 : distance;
    }
}
