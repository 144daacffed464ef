using System.Collections.Immutable;
using ActorVmm.Monitor;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Messages the PhysicalCpu actor serves, and their replies.</summary>
public static class PhysicalCpuProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>
    /// Root → PhysicalCpu: run these vCPUs, round robin in quanta of <paramref name="Quantum"/>
    /// cycles, until your simulated clock reaches <paramref name="EpochEnd"/>; idle when none is runnable.
    /// </summary>
    public sealed record RunEpoch(long EpochEnd, long Quantum, ImmutableArray<VcpuAssignment> Vcpus) : IMessage;

    /// <summary>PhysicalCpu → root, the reply to <see cref="RunEpoch"/>: the vCPUs' states and this CPU's counters.</summary>
    public sealed record EpochDone(int Pcpu, long Clock, ImmutableArray<VcpuSlot> Vcpus, PhysicalCpuCounters Counters) : IMessage;
}

/// <summary>A vCPU's scheduling state and where to send its dispatches.</summary>
public sealed record VcpuAssignment(VcpuSlot Slot, IActorRef Vcpu);
