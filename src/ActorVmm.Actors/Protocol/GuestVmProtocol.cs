using ActorVmm.Cpu.Board;

namespace ActorVmm.Actors.Protocol;

/// <summary>Messages of the GuestVm actor: one VM's lifecycle and console.</summary>
public static class GuestVmProtocol
{
    /// <summary>Router → GuestVm: bytes the guest wrote to its console UART.</summary>
    public sealed record ConsoleOutput(int Vm, string Text);

    /// <summary>Router → GuestVm: the guest wrote SYS_POWEROFF.</summary>
    public sealed record PoweredOff(int Vm, int Status);

    /// <summary>vCPU → GuestVm: the guest cannot go on (a hang, an exception loop, a limit, a simulator error).</summary>
    public sealed record Crashed(int Vm, MachineOutcomeKind Kind, string Diagnostic);

    /// <summary>GuestVm → monitor: booted; these vCPUs want physical CPUs.</summary>
    public sealed record VmReady(int Vm, string Name, IReadOnlyList<VcpuHandle> Vcpus);

    /// <summary>GuestVm → monitor: the VM could not be started (bad kernel, no memory).</summary>
    public sealed record VmFailed(int Vm, string Name, string Reason);

    /// <summary>GuestVm → monitor: the VM has stopped; its console and how it ended.</summary>
    public sealed record VmFinished(int Vm, string Name, MachineOutcome Outcome, string Console);
}

/// <summary>A vCPU and where to send its dispatches.</summary>
public sealed record VcpuHandle(VcpuKey Key, Akka.Actor.IActorRef Ref);
