using System.Collections.Immutable;

namespace ActorVmm.Monitor;

public enum SchedulerStepKind : byte
{
    /// <summary>Dispatch <see cref="SchedulerStep.Vcpu"/> for <see cref="SchedulerStep.Budget"/> cycles.</summary>
    Dispatch,

    /// <summary>The clock reached the epoch's end: report <see cref="SchedulerStep.Slots"/> and the counters.</summary>
    EpochDone,

    /// <summary>Nothing to do.</summary>
    None,
}

/// <summary>What a physical CPU does next.</summary>
public readonly record struct SchedulerStep(
    SchedulerStepKind Kind,
    VcpuKey Vcpu = default,
    long Budget = 0,
    bool MachineSwitch = false,
    ImmutableArray<VcpuSlot> Slots = default)
{
    public static readonly SchedulerStep None = new(SchedulerStepKind.None);
}
