using ActorVmm.Monitor;

namespace ActorVmm.Actors.Configuration;

/// <summary>A scenario, read from HOCON over the reference configuration and validated.</summary>
public sealed record MonitorSettings(
    string ScenarioName,
    MachineSettings Machine,
    SchedulerSettings Scheduler,
    IReadOnlyList<VmSettings> Vms,
    TraceSettings Trace,
    OutputSettings Output,
    ReportSettings Report,
    CostModel Costs,
    ClusterSettings Cluster,
    CheckpointSettings Checkpoint)
{
    /// <summary>Transparent page sharing between VMs (<c>monitor.page-sharing</c>).</summary>
    public Memory.PageSharingSettings Sharing { get; init; } = Memory.PageSharingSettings.Off;
}

/// <param name="Plots">Write the report's charts (PNG and SVG) into output.directory/plots at the end of the run.</param>
public sealed record ReportSettings(bool CompareNative, bool Plots = false);

public sealed record MachineSettings(int PhysicalCpus, ulong MemoryBytes, int TlbEntries);

public sealed record SchedulerSettings(long Quantum, long Epoch, bool LoadBalancing, bool Affinity);

/// <param name="Id">1-based, in scenario order; 0 is reserved for the monitor itself in traces.</param>
/// <param name="Node">The cluster node it starts on (taken modulo the node count), or null for the placement policy.</param>
public sealed record VmSettings(int Id, string Name, string KernelPath, uint MemoryBytes, string CommandLine, long MaxInstructions, int? Node = null)
{
    /// <summary>The VM's L2 TLB: <c>monitor.l2-tlb</c>, or the VM entry's own <c>l2-tlb</c>.</summary>
    public L2TlbSettings L2Tlb { get; init; } = L2TlbSettings.Exact;
}

/// <summary>The cluster section: what each node has, where VMs start, when they move.</summary>
public sealed record ClusterSettings(int NodePhysicalCpus, ulong NodeMemoryBytes, MigrationSettings Migration);

/// <param name="Threshold">The busy-time gap between nodes, as a fraction of an epoch, above which a VM moves.</param>
public sealed record MigrationSettings(bool Balance, double Threshold, int MaxPerEpoch, int SettleEpochs);

/// <param name="StampEvery">How often the trap path's records read the clock (TraceTiming): 1 = every record.</param>
public sealed record TraceSettings(bool Enabled, string File, int StampEvery = 16);

public sealed record OutputSettings(string Directory, bool Console, ProgressMode Progress, bool JsonReport);

public enum ProgressMode
{
    Auto,
    On,
    Off,
}
