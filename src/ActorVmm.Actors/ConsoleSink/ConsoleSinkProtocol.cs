using System.Collections.Immutable;

namespace ActorVmm.Actors;

/// <summary>Messages the ConsoleSink receives: every VM's console, delivered once, in order, on the node that shows it.</summary>
public static class ConsoleSinkProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>GuestVm → sink: the VM's console starts; lines are labelled <paramref name="Name"/>.</summary>
    public sealed record ConsoleOpened(int Vm, string Name) : IMessage;

    /// <summary>GuestVm → sink: console bytes at <paramref name="Offset"/> of the VM's stream, written on <paramref name="Node"/>.</summary>
    public sealed record ConsoleOutput(int Vm, string Node, long Offset, ImmutableArray<byte> Bytes) : IMessage;

    /// <summary>GuestVm → sink: the VM has stopped; its console is <paramref name="Length"/> bytes long.</summary>
    public sealed record ConsoleClosed(int Vm, long Length) : IMessage;

    /// <summary>Ask for the whole console of each VM, once each is closed; replied with <see cref="Consoles"/>.</summary>
    public sealed record GetConsoles(ImmutableArray<int> Vms) : IMessage;

    /// <summary>Each VM's console, byte for byte as Latin-1 text.</summary>
    public sealed record Consoles(ImmutableDictionary<int, string> ByVm) : IMessage;
}
