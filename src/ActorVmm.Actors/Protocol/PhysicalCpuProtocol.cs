using System.Collections.Immutable;

namespace ActorVmm.Actors.Protocol;

/// <summary>Messages of the PhysicalCpu actor.</summary>
public static class PhysicalCpuProtocol
{
    /// <summary>
    /// Monitor → PhysicalCpu: run these vCPUs, round robin in quanta, until your simulated
    /// clock reaches <paramref name="EpochEnd"/>; idle when none is runnable.
    /// </summary>
    public sealed record RunEpoch(long EpochEnd, ImmutableArray<VcpuSlot> Vcpus);

    /// <summary>PhysicalCpu → monitor: the epoch is over; the vCPUs' states and this CPU's counters.</summary>
    public sealed record EpochDone(int Pcpu, long Clock, ImmutableArray<VcpuSlot> Vcpus, PhysicalCpuCounters Counters);
}

/// <summary>A vCPU as a physical CPU schedules it: runnable, waiting for an interrupt until WakeAt, or halted.</summary>
/// <param name="HaltedAt">The simulated cycle at which it halted (its physical CPU's clock), once halted.</param>
public sealed record VcpuSlot(VcpuHandle Vcpu, VcpuRunState State, long WakeAt, int LastPcpu, long BusyCyclesLastEpoch, long HaltedAt = 0);

public enum VcpuRunState : byte
{
    Runnable,
    Idle,
    Halted,
}

/// <summary>Cumulative counters of one physical CPU.</summary>
public sealed record PhysicalCpuCounters(long BusyCycles, long IdleCycles, long Dispatches, long MachineSwitches, long GuestInstructions);
