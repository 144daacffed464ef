using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// The guest's Count and Compare under the monitor. Count is the guest's retired
/// instructions plus its WAIT time (frozen while Cause.DC is set), never the host's clock, so
/// guest-visible time is the same on every run; the vCPU's run is cut exactly where Count
/// reaches Compare, so the timer interrupt lands on the same instruction as on the bare board.
/// </summary>
public sealed class VirtualTimer
{
    private uint _offset;
    private uint _stopped;

    public long IdleCycles { get; private set; }

    public TimerState Capture() => new(_offset, _stopped, IdleCycles);

    public void Restore(TimerState state)
    {
        _offset = state.Offset;
        _stopped = state.Stopped;
        IdleCycles = state.IdleCycles;
    }

    /// <summary>The guest's Count after <paramref name="retired"/> instructions.</summary>
    public uint Count(in Cp0State cp0, long retired) => cp0.CountStopped ? _stopped : (uint)retired + _offset;

    /// <summary>Instructions until Count reaches Compare (a whole wrap when equal); <see cref="long.MaxValue"/> while Count is stopped.</summary>
    public long InstructionsToCompare(in Cp0State cp0, long retired)
    {
        if (cp0.CountStopped)
        {
            return long.MaxValue;
        }

        uint distance = cp0.Compare - Count(cp0, retired);
        return distance == 0 ? 1L << 32 : distance;
    }

    /// <summary>The virtual CP0 was replaced by a decision: its Count becomes the timer's.</summary>
    public void Set(in Cp0State cp0, long retired)
    {
        _offset = cp0.Count - (uint)retired;
        _stopped = cp0.Count;
    }

    /// <summary>After instructions retired; <paramref name="counted"/>: Count ran for them (DC was clear).</summary>
    public void AfterRetire(ref Cp0State cp0, long retired, bool counted)
    {
        if (counted && Count(cp0, retired) == cp0.Compare)
        {
            cp0.RaiseTimerInterrupt();
        }
    }

    /// <summary>
    /// Guest time passes for <paramref name="instructions"/> the guest did not retire because
    /// the monitor did their work (a refill done from the L2 TLB): Count moves on as if they
    /// had run, raising the timer interrupt if it passed Compare, as on the bare board.
    /// </summary>
    public void Advance(ref Cp0State cp0, long retired, uint instructions)
    {
        if (cp0.CountStopped || instructions == 0)
        {
            return;
        }

        uint distance = cp0.Compare - Count(cp0, retired);
        _offset += instructions;
        if (distance != 0 && distance <= instructions)
        {
            cp0.RaiseTimerInterrupt();
        }
    }

    /// <summary>
    /// After an emulated WAIT, per <see cref="WaitIdle"/>: Count jumps to Compare (guest time
    /// passes, as on the bare board). Returns the cycles to idle, 0 if an interrupt is already
    /// pending, or <see cref="WaitIdle.Never"/>.
    /// </summary>
    public long Idle(ref Cp0State cp0, long retired)
    {
        long idle = WaitIdle.CyclesToNextInterrupt(cp0, Count(cp0, retired));
        if (idle > 0)
        {
            _offset += (uint)idle;
            cp0.RaiseTimerInterrupt();
            IdleCycles += idle;
        }

        return idle;
    }
}
