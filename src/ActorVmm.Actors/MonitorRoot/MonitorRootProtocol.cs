using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Monitor;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Messages the MonitorRoot receives from the VMs it started (the physical CPUs reply with <see cref="PhysicalCpuProtocol.EpochDone"/>).</summary>
public static class MonitorRootProtocol
{
    /// <summary>GuestVm → root: booted; these vCPUs want physical CPUs.</summary>
    public sealed record VmReady(int Vm, string Name, ImmutableArray<VcpuHandle> Vcpus);

    /// <summary>GuestVm → root: the VM could not be started (bad kernel, no memory).</summary>
    public sealed record VmFailed(int Vm, string Name, string Reason);

    /// <summary>GuestVm → root: the VM has stopped, and how it ended (its console is the ConsoleSink's).</summary>
    public sealed record VmFinished(int Vm, string Name, MachineOutcome Outcome);
}

/// <summary>A vCPU and where to send its dispatches.</summary>
public sealed record VcpuHandle(VcpuKey Key, IActorRef Ref);
