using System.Collections.Immutable;

namespace ActorVmm.Monitor;

/// <summary>
/// A VM's trap router between two traps, as a value: its device registers (console input not
/// yet read, power-off), how far its console stream has got (bytes handed on, and those of a
/// line not yet complete), and the guest's last EBase.
/// A router is captured only when no TLB write waits for the memory manager.
/// </summary>
public sealed record RouterState(ImmutableArray<byte> PendingInput, bool PoweredOff, int ExitStatus, long ConsoleOffset, ImmutableArray<byte> PendingOutput, uint RecordedEBase);
