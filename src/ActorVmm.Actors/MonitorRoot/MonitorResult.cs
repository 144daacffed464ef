using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor;

namespace ActorVmm.Actors;

/// <summary>Everything a run of the monitor produced, for the report.</summary>
/// <param name="Memory">Machine memory, summed over the nodes.</param>
/// <param name="Nodes">Each node of the run (one for a one-node run).</param>
/// <param name="Migrations">Every move of a VM between nodes, in order.</param>
public sealed record MonitorResult(
    MonitorSettings Settings,
    IReadOnlyList<VmResult> Vms,
    IReadOnlyList<PhysicalCpuResult> PhysicalCpus,
    MemoryUsage Memory,
    long Epochs,
    TimeSpan WallTime,
    IReadOnlyList<NodeResult>? Nodes = null,
    IReadOnlyList<MigrationRecord>? Migrations = null)
{
    public bool AllPoweredOffCleanly => Vms.All(v => v.Outcome.Kind == MachineOutcomeKind.PoweredOff && v.Outcome.ExitStatus == 0);
}

/// <param name="FailureReason">Why the VM never started, if it did not.</param>
/// <param name="FinishedAt">The simulated cycle at which its (last) vCPU halted.</param>
/// <param name="Placements">The nodes it ran on, from the epoch it got there.</param>
/// <param name="AdmittedAt">The simulated cycle it was admitted at after waiting for machine memory; 0 if it started at once.</param>
public sealed record VmResult(int Id, string Name, MachineOutcome Outcome, string Console, VcpuStatistics? Statistics, string? FailureReason,
    long FinishedAt = 0, IReadOnlyList<VmPlacement>? Placements = null, long AdmittedAt = 0);

/// <summary>A VM was on <paramref name="Node"/> from the start of epoch <paramref name="Epoch"/> (simulated cycle <paramref name="Cycle"/>).</summary>
public sealed record VmPlacement(long Epoch, long Cycle, string Node);

/// <summary>One node of a run: its physical CPUs (global ids), the VMs it hosted, moves in and out, its machine memory.</summary>
public sealed record NodeResult(string Name, IReadOnlyList<int> PhysicalCpus, IReadOnlyList<int> VmsHosted, int MigrationsIn, int MigrationsOut,
    long PagesIn, long PagesOut, MemoryUsage Memory);

/// <summary>A VM moved from one node to another at an epoch boundary: what moved, and how long it took on the host's clock.</summary>
public sealed record MigrationRecord(int Vm, string Name, string From, string To, long Epoch, long Cycle, int Pages, long Bytes, double WallMilliseconds);
