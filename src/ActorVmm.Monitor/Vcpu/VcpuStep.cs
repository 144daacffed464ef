using ActorVmm.Cpu.Board;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

public enum VcpuStepKind : byte
{
    /// <summary>Send <see cref="VcpuStep.Trap"/> to the trap router and wait for its decision.</summary>
    Trap,

    /// <summary>Ask the memory manager for <see cref="VcpuStep.Page"/> (<see cref="VcpuStep.Operation"/>: translate it, or copy it) and wait for the answer.</summary>
    TranslatePage,

    /// <summary>Give the physical CPU back (<see cref="VcpuStep.Reason"/>, cycles used, idle time, instructions).</summary>
    Yield,

    /// <summary>The guest cannot go on: report <see cref="VcpuStep.Diagnostic"/> to the VM, then yield as halted.</summary>
    Crash,
}

/// <summary>What the vCPU does next, as the actor or the synchronous monitor carries it out. A value: one per trap.</summary>
public readonly record struct VcpuStep(
    VcpuStepKind Kind,
    TrapRequest? Trap = null,
    Ppn Page = default,
    YieldReason Reason = YieldReason.QuantumEnd,
    long CyclesUsed = 0,
    long IdleCycles = 0,
    long Instructions = 0,
    MachineOutcomeKind CrashKind = MachineOutcomeKind.Crashed,
    string? Diagnostic = null,
    PageOperation Operation = PageOperation.Translate);
