using System.Collections.Immutable;
using ActorVmm.Cpu.Board;

namespace ActorVmm.Actors;

/// <summary>Messages the GuestVm actor receives: its VM's console and how the guest stopped.</summary>
public static class GuestVmProtocol
{
    /// <summary>Router → GuestVm: console bytes the guest wrote, at <paramref name="Offset"/> in the VM's console stream.</summary>
    public sealed record ConsoleOutput(int Vm, long Offset, ImmutableArray<byte> Bytes);

    /// <summary>Router → GuestVm: the guest wrote the power-off register.</summary>
    public sealed record PoweredOff(int Vm, int Status);

    /// <summary>vCPU → GuestVm: the guest cannot go on (a hang, an exception loop, a limit, a simulator error).</summary>
    public sealed record Crashed(int Vm, MachineOutcomeKind Kind, string Diagnostic);
}
