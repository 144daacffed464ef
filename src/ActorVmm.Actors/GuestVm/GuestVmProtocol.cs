using System.Collections.Immutable;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Monitor;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Messages the GuestVm actor receives: its VM's console and how the guest stopped.</summary>
public static class GuestVmProtocol
{
    /// <summary>
    /// Root → GuestVm: be this VM. Its kernel is loaded and placed in the node's machine memory;
    /// <paramref name="Root"/> hears how it goes, <paramref name="Console"/> gets its console.
    /// </summary>
    public sealed record StartVm(VmSettings Settings, CostModel Costs, int TlbEntries, IActorRef Root, IActorRef Console);

    /// <summary>Router → GuestVm: console bytes the guest wrote, at <paramref name="Offset"/> in the VM's console stream.</summary>
    public sealed record ConsoleOutput(int Vm, long Offset, ImmutableArray<byte> Bytes);

    /// <summary>Router → GuestVm: the guest wrote the power-off register.</summary>
    public sealed record PoweredOff(int Vm, int Status);

    /// <summary>vCPU → GuestVm: the guest cannot go on (a hang, an exception loop, a limit, a simulator error).</summary>
    public sealed record Crashed(int Vm, MachineOutcomeKind Kind, string Diagnostic);
}
