using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor;

namespace ActorVmm.Actors;

/// <summary>Everything a run of the monitor produced, for the report.</summary>
public sealed record MonitorResult(
    MonitorSettings Settings,
    IReadOnlyList<VmResult> Vms,
    IReadOnlyList<PhysicalCpuResult> PhysicalCpus,
    MemoryUsage Memory,
    long Epochs,
    TimeSpan WallTime)
{
    public bool AllPoweredOffCleanly => Vms.All(v => v.Outcome.Kind == MachineOutcomeKind.PoweredOff && v.Outcome.ExitStatus == 0);
}

/// <param name="FailureReason">Why the VM never started, if it did not.</param>
/// <param name="FinishedAt">The simulated cycle at which its (last) vCPU halted.</param>
public sealed record VmResult(int Id, string Name, MachineOutcome Outcome, string Console, VcpuStatistics? Statistics, string? FailureReason, long FinishedAt = 0);
