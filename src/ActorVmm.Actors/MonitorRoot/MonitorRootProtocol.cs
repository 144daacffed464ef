using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Monitor;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Messages the MonitorRoot receives from the VMs it started (the physical CPUs reply with <see cref="PhysicalCpuProtocol.EpochDone"/>).</summary>
public static class MonitorRootProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>GuestVm → root: booted; these vCPUs want physical CPUs.</summary>
    public sealed record VmReady(int Vm, string Name, string Node, ImmutableArray<VcpuHandle> Vcpus) : IMessage;

    /// <summary>GuestVm → root: the VM could not be started (bad kernel, no memory).</summary>
    public sealed record VmFailed(int Vm, string Name, string Reason) : IMessage;

    /// <summary>GuestVm → root: the VM has stopped, and how it ended (its console is the ConsoleSink's).</summary>
    public sealed record VmFinished(int Vm, string Name, MachineOutcome Outcome) : IMessage;

    /// <summary>GuestVm, restored on its new node → root: the VM has moved; these vCPUs want that node's physical CPUs.</summary>
    public sealed record VmMovedIn(int Vm, string Name, string Node, ImmutableArray<VcpuHandle> Vcpus, int Pages, long Bytes) : IMessage;

    /// <summary>GuestVm → root: a prepared move could not be made (the VM stays where it was, or failed).</summary>
    public sealed record MigrationFailed(int Vm, string Reason) : IMessage;
}

/// <summary>A vCPU and where to send its dispatches.</summary>
public sealed record VcpuHandle(VcpuKey Key, IActorRef Ref);
