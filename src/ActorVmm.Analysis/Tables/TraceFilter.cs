using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Analysis;

/// <summary>
/// Which records an export keeps: some VMs (with <see cref="Vms"/> empty, all of them), and a
/// window on the chosen time axis (wall-clock nanoseconds since the run's start, or simulated
/// cycles). Records without a simulated cycle pass a cycle window.
/// </summary>
public sealed record TraceFilter(IReadOnlySet<int> Vms, TimeAxis Axis = TimeAxis.Wall, long? From = null, long? To = null)
{
    public static TraceFilter All { get; } = new(new HashSet<int>());

    public bool HasWindow => From is not null || To is not null;

    /// <summary>Whether a VM's records are kept (the monitor's own, VM 0, only when no VM is named).</summary>
    public bool KeepsVm(int vm) => Vms.Count == 0 || Vms.Contains(vm);

    public bool InWindow(long at) => (From is not { } from || at >= from) && (To is not { } to || at <= to);

    /// <summary>The record filter, for a trace whose wall-clock origin is <paramref name="origin"/>.</summary>
    public Func<TraceRecord, bool>? Predicate(long origin)
    {
        if (Vms.Count == 0 && !HasWindow)
        {
            return null;
        }

        return r => KeepsVm(r.Vm) && (!HasWindow || Axis switch
        {
            TimeAxis.Wall => InWindow(r.Nanoseconds - origin),
            _ => r.Cycle == TraceRecord.NoCycle || InWindow(r.Cycle),
        });
    }
}

/// <summary>What a trace's time axis counts.</summary>
public enum TimeAxis
{
    /// <summary>Host wall-clock time since the run's first recorder started.</summary>
    Wall,

    /// <summary>Simulated cycles of the physical CPUs' clocks (lock-step across CPUs and nodes).</summary>
    Cycles,
}
