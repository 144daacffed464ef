namespace ActorVmm.Host.Reports;

/// <summary>The end-of-run report as data: printed as text and written as report.json.</summary>
public sealed record RunReportModel(
    string Scenario,
    int PhysicalCpus,
    double WallSeconds,
    long Epochs,
    long SimulatedCycles,
    double GuestMips,
    IReadOnlyList<VmReport> Vms,
    VmReport Total,
    IReadOnlyList<PhysicalCpuReport> PhysicalCpuDetails,
    MemoryReport Memory,
    IReadOnlyList<PhysicalCpuTimelineReport>? PhysicalCpuTimeline = null,
    IReadOnlyList<TrapLatencyReport>? TrapLatencies = null,

    IReadOnlyList<NodeReport>? Nodes = null,
    IReadOnlyList<MigrationReport>? Migrations = null);

/// <summary>A node of a cluster run: its physical CPUs' busy and idle time, the VMs it hosted, the moves in and out.</summary>
public sealed record NodeReport(string Name, IReadOnlyList<int> PhysicalCpus, long BusyCycles, long IdleCycles, IReadOnlyList<string> VmsHosted,
    int MigrationsIn, int MigrationsOut, long PagesIn, long PagesOut, long BytesIn, long BytesOut, long PeakAllocatedPages);

/// <summary>One VM moved between nodes at an epoch boundary: pages and bytes moved, wall time from the decision to the VM running there.</summary>
public sealed record MigrationReport(string Vm, string From, string To, long Epoch, long Cycle, int Pages, long Bytes, double WallMilliseconds);

/// <param name="Native">The same kernel and command line on the bare machine, when the scenario asked for it.</param>
public sealed record VmReport(
    int Id,
    string Name,
    string Outcome,
    int ExitStatus,
    string? Diagnostic,
    long GuestInstructions,
    long KernelInstructions,
    long UserInstructions,
    CycleReport Cycles,
    long FinishedAtCycle,
    IReadOnlyDictionary<string, long> Traps,
    CountersReport Counters,
    IReadOnlyList<MechanismReport> Mechanisms,
    IReadOnlyList<ServiceReport> Services,
    NativeReport? Native,
    IReadOnlyList<string>? Nodes = null,
    long AdmittedAtCycle = 0)
{
    /// <summary>The VM's kernel command line (the workload): Disco's tables put the VMs that ran the same one side by side.</summary>
    public string CommandLine { get; init; } = "";
}

/// <summary>
/// Simulated cycles: <paramref name="Native"/> is what the guest's instructions cost on the
/// bare machine (the same instructions, by transparency); <paramref name="Virtualized"/> adds
/// the monitor's work for this VM. Idle cycles (WAIT) are the same in both and kept apart.
/// </summary>
public sealed record CycleReport(long Native, long Monitor, long Virtualized, long Idle, double OverheadPercent);

public sealed record MechanismReport(string Mechanism, long Events, long Cycles, double PercentOfNative);

public sealed record CountersReport(
    long Reflections,
    long PrivilegedEmulations,
    long TlbWritesIntercepted,
    long L2TlbHits,
    long MpnsAllocated,
    long MachineSwitches,
    long DeviceEmulations,
    long GuestContextSwitches)
{
    /// <summary>exact or disco (<c>monitor.l2-tlb</c>).</summary>
    public string L2TlbMode { get; init; } = "Exact";

    /// <summary>With l2-tlb = disco: guest refills the monitor did from the L2 TLB, and the guest instructions its handler would have retired.</summary>
    public long L2GuestRefills { get; init; }

    public long L2GuestInstructionsSaved { get; init; }

    /// <summary>The guest kernel is paravirtual (it registered a special page).</summary>
    public bool Paravirtual { get; init; }
}

/// <param name="NativeCyclesPerEvent">From the native run when there was one, else from the same instructions without the monitor.</param>
public sealed record ServiceReport(string Service, long Count, long GuestInstructions, long MonitorCycles, double NativeCyclesPerEvent, double VirtualizedCyclesPerEvent, double Slowdown);

public sealed record NativeReport(long Instructions, long KernelInstructions, long UserInstructions, long IdleCycles, bool InstructionsMatch, bool ConsoleMatches, double WallSeconds, double Mips);

public sealed record PhysicalCpuReport(int Id, long Clock, long BusyCycles, long IdleCycles, long Dispatches, long MachineSwitches, long GuestInstructions);

/// <summary>
/// One physical CPU over simulated time: for each interval (epochs, merged to at most a few
/// hundred), the cycle it ends at and the cycles the CPU was busy and idle in it.
/// </summary>
public sealed record PhysicalCpuTimelineReport(int Id, IReadOnlyList<long> EndCycles, IReadOnlyList<long> BusyCycles, IReadOnlyList<long> IdleCycles);

/// <summary>
/// Trap round trips of one kind, from the trace: all of them, those timed exactly at both
/// ends, their median and 99th percentile, and a histogram in power-of-two buckets
/// (<c>Counts[i]</c> round trips took from <c>BucketNanoseconds[i]</c> to twice that).
/// </summary>
public sealed record TrapLatencyReport(string Trap, long RoundTrips, long Timed, double P50Microseconds, double P99Microseconds,
    IReadOnlyList<long> BucketNanoseconds, IReadOnlyList<long> Counts);

public sealed record MemoryReport(long TotalPages, long AllocatedPages, long PeakAllocatedPages, IReadOnlyDictionary<string, long> PagesByVm)
{
    /// <summary>What was shared: "off", or images and/or content (with the scan rate).</summary>
    public string Sharing { get; init; } = "off";

    /// <summary>Guest-physical pages backed, all VMs together, at most at once: the machine pages the VMs would have needed without sharing.</summary>
    public long PeakGuestPages { get; init; }

    /// <summary>Machine pages allocated at most, sampled between epochs like <see cref="PeakGuestPages"/>.</summary>
    public long PeakMachinePagesBetweenEpochs { get; init; }

    public long PeakSharedPages { get; init; }

    public long PagesScanned { get; init; }

    public long PagesMerged { get; init; }

    /// <summary>Per VM name: guest pages, sharing, copy-on-write breaks, paravirtual page calls.</summary>
    public IReadOnlyDictionary<string, VmMemoryReport> Vms { get; init; } = new Dictionary<string, VmMemoryReport>();
}

public sealed record VmMemoryReport(long PeakGuestPages, long PeakSharedPages, long CopyOnWriteBreaks, long Merged, long ZeroRequests, long Released);
