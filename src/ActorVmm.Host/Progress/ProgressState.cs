using ActorVmm.Actors;

namespace ActorVmm.Host.Progress;

/// <summary>
/// The latest <see cref="RunProgress"/> of a run, handed from the monitor's root actor to
/// whoever renders it. <see cref="Progress"/> runs on the root actor's thread, between two
/// epochs, so it only publishes the (immutable) record; all formatting happens elsewhere.
/// </summary>
public sealed class ProgressState : IRunObserver
{
    private RunProgress? _latest;
    private RunProgress? _first;
    private RunProgress? _second;
    private RunProgress? _final;
    private long _updates;

    /// <summary>The most recent epoch boundary's progress, or null while the VMs are still booting.</summary>
    public RunProgress? Latest => Volatile.Read(ref _final) ?? Volatile.Read(ref _latest);

    /// <summary>Set once the run's result is known: the display's last frame.</summary>
    public bool Completed => Volatile.Read(ref _final) is not null;

    /// <summary>How many times the monitor reported progress.</summary>
    public long Updates => Interlocked.Read(ref _updates);

    /// <summary>
    /// The boot phase: from the root's start until every VM had sent VmReady, estimated. The
    /// monitor reports nothing before the first epoch boundary, which comes one epoch after the
    /// boot phase ends, so the second epoch's wall time stands in for the first's (the first is,
    /// if anything, slower: first touches and a cold JIT; the estimate errs long). With a single
    /// epoch, the first boundary's time, an upper bound. Null until the first report.
    /// </summary>
    public TimeSpan? BootPhase
    {
        get
        {
            var first = Volatile.Read(ref _first);
            var second = Volatile.Read(ref _second);
            if (first is null)
            {
                return null;
            }

            if (second is null)
            {
                return first.WallTime;
            }

            var estimate = first.WallTime - (second.WallTime - first.WallTime);
            return estimate > TimeSpan.Zero ? estimate : TimeSpan.Zero;
        }
    }

    public void Progress(RunProgress progress)
    {
        if (Interlocked.CompareExchange(ref _first, progress, null) is not null)
        {
            Interlocked.CompareExchange(ref _second, progress, null);
        }

        Volatile.Write(ref _latest, progress);
        Interlocked.Increment(ref _updates);
    }

    /// <summary>
    /// The run is over: its final figures, from the result rather than the last epoch boundary,
    /// since a VM's power-off can reach the root after the epoch in which its vCPU halted.
    /// </summary>
    public void Complete(MonitorResult result)
    {
        long instructions = result.Vms.Sum(v => v.Statistics?.GuestInstructions ?? 0);
        int booted = result.Vms.Count(v => v.FailureReason is null);
        Volatile.Write(ref _final, new RunProgress(result.Epochs, result.Epochs * result.Settings.Scheduler.Epoch,
            result.Vms.Count, booted, 0, result.Vms.Count, instructions, result.WallTime));
    }
}
