using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// A guest whose own exception vector faults can never make progress: reflections with no
/// instruction retired in between, past a limit, declare it stuck (the bare core has the
/// same rule for exceptions it delivers natively).
/// </summary>
public sealed class ExceptionLoopDetector
{
    private const int Limit = 64;
    private long _retiredAtLast = -1;
    private int _withoutProgress;

    /// <summary>Why the guest is stuck, once it is.</summary>
    public string? Stuck { get; private set; }

    public LoopState Capture() => new(_retiredAtLast, _withoutProgress, Stuck);

    public void Restore(LoopState state)
    {
        _retiredAtLast = state.RetiredAtLast;
        _withoutProgress = state.WithoutProgress;
        Stuck = state.Stuck;
    }

    public void Reflected(long retired, uint vector, in GuestException e)
    {
        if (retired == _retiredAtLast)
        {
            if (++_withoutProgress >= Limit)
            {
                Stuck = $"the guest's exception vector 0x{vector:X8} keeps faulting without progress; last: {e}";
            }
        }
        else
        {
            _withoutProgress = 0;
            _retiredAtLast = retired;
        }
    }
}
