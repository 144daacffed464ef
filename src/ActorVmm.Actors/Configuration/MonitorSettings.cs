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
    CostModel Costs)
{
    /// <summary>Transparent page sharing between VMs (<c>monitor.page-sharing</c>).</summary>
    public Memory.PageSharingSettings Sharing { get; init; } = Memory.PageSharingSettings.Off;
}

public sealed record ReportSettings(bool CompareNative);

public sealed record MachineSettings(int PhysicalCpus, ulong MemoryBytes, int TlbEntries);

public sealed record SchedulerSettings(long Quantum, long Epoch, bool LoadBalancing, bool Affinity);

/// <param name="Id">1-based, in scenario order; 0 is reserved for the monitor itself in traces.</param>
public sealed record VmSettings(int Id, string Name, string KernelPath, uint MemoryBytes, string CommandLine, long MaxInstructions)
{
    /// <summary>The VM's L2 TLB: <c>monitor.l2-tlb</c>, or the VM entry's own <c>l2-tlb</c>.</summary>
    public L2TlbSettings L2Tlb { get; init; } = L2TlbSettings.Exact;
}

public sealed record TraceSettings(bool Enabled, string File);

public sealed record OutputSettings(string Directory, bool Console, ProgressMode Progress, bool JsonReport);

public enum ProgressMode
{
    Auto,
    On,
    Off,
}
