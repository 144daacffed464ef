using System.Collections.Immutable;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Monitor;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Messages the GuestVm actor receives: its VM's console and how the guest stopped.</summary>
public static class GuestVmProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>
    /// Root → GuestVm: be this VM. Its kernel is loaded and placed in the node's machine memory;
    /// <paramref name="Root"/> hears how it goes, <paramref name="Console"/> gets its console.
    /// </summary>
    public sealed record StartVm(VmSettings Settings, CostModel Costs, int TlbEntries, IActorRef Root, IActorRef Console) : IMessage;

    /// <summary>
    /// Root → GuestVm: the next time you are handed off (<see cref="HandOffVm"/>), move to
    /// <paramref name="TargetNode"/>. Replied with <see cref="MigrationPrepared"/>.
    /// </summary>
    public sealed record PrepareMigration(int Vm, string TargetNode, IActorRef TargetAgent, IActorRef TargetMemory) : IMessage;

    public sealed record MigrationPrepared(int Vm) : IMessage;

    /// <summary>
    /// Sharding → GuestVm: your shard leaves this node. A VM prepared to move captures its
    /// vCPU and router, sends its pages and its state to the target node, then stops.
    /// </summary>
    public sealed record HandOffVm : IMessage
    {
        public static readonly HandOffVm Instance = new();
    }

    /// <summary>Router → GuestVm: console bytes the guest wrote, at <paramref name="Offset"/> in the VM's console stream.</summary>
    public sealed record ConsoleOutput(int Vm, long Offset, ImmutableArray<byte> Bytes) : IMessage;

    /// <summary>Router → GuestVm: the guest wrote the power-off register.</summary>
    public sealed record PoweredOff(int Vm, int Status) : IMessage;

    /// <summary>vCPU → GuestVm: the guest cannot go on (a hang, an exception loop, a limit, a simulator error).</summary>
    public sealed record Crashed(int Vm, MachineOutcomeKind Kind, string Diagnostic) : IMessage;
}
