namespace ActorVmm.Actors;

/// <summary>Where a run stands at an epoch boundary, for a live progress display.</summary>
/// <param name="SimulatedCycles">The epoch boundary every physical CPU has reached.</param>
/// <param name="GuestInstructions">Guest instructions retired by all VMs so far.</param>
/// <param name="PhysicalCpus">Each physical CPU's clock and cumulative counters (busy, idle) at this boundary.</param>
/// <param name="VmsWaiting">VMs not yet started because machine memory cannot hold them yet (admission control).</param>
public sealed record RunProgress(
    long Epoch,
    long SimulatedCycles,
    int Vms,
    int VmsBooted,
    int VmsRunning,
    int VmsHalted,
    long GuestInstructions,
    TimeSpan WallTime,
    IReadOnlyList<Monitor.PhysicalCpuResult>? PhysicalCpus = null,
    int VmsWaiting = 0);

/// <summary>Told about a run's progress at each epoch boundary (on the root actor's thread: return quickly).</summary>
public interface IRunObserver
{
    void Progress(RunProgress progress);
}
