using System.Collections.Immutable;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Messages the NodeAgent serves: what a node is, and the VMs arriving on it.</summary>
public static class NodeAgentProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>Replied with <see cref="NodeInfo"/>.</summary>
    public sealed record GetNodeInfo : IMessage;

    /// <summary>A node of the simulated multiprocessor: its name, its physical CPUs, its machine memory and its services.</summary>
    public sealed record NodeInfo(string Name, ulong MemoryBytes, ImmutableArray<IActorRef> PhysicalCpus, IActorRef MemoryManager, IActorRef Agent) : IMessage;

    /// <summary>
    /// A VM moving here: how to start it and its encoded state (<see cref="Monitor.VmStateCodec"/>);
    /// its pages are already in this node's machine memory. Replied with <see cref="PackageStored"/>.
    /// </summary>
    public sealed record MigrationPackage(int Vm, string FromNode, GuestVmProtocol.StartVm Start, ImmutableArray<byte> State, int Pages, long Bytes) : IMessage;

    public sealed record PackageStored(int Vm) : IMessage;

    /// <summary>GuestVm (started here by Sharding) → agent: is there a package for me? Replied with the package or <see cref="NoPackage"/>.</summary>
    public sealed record TakePackage(int Vm) : IMessage;

    public sealed record NoPackage(int Vm) : IMessage;

    /// <summary>Driver → agent: the run is over; leave the cluster and stop this node.</summary>
    public sealed record Shutdown : IMessage;
}
