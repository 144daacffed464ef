namespace ActorVmm.Actors;

/// <summary>
/// A run stopped from outside (SIGTERM, SIGINT): <see cref="MonitorRun.Execute"/> stops its
/// actors, closes the trace with this reason in its end block, and throws
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class RunInterrupt
{
    private readonly CancellationTokenSource _cancel = new();
    private string? _reason;

    public CancellationToken Token => _cancel.Token;

    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>Ask the run to stop; false if it was already asked (a second signal should end the process as usual).</summary>
    public bool Interrupt(string reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is not null)
        {
            return false;
        }

        _cancel.Cancel();
        return true;
    }
}
