using ActorVmm.Memory;

namespace ActorVmm.Monitor;

public enum VcpuStopKind : byte
{
    /// <summary>The cycle budget of the dispatch is spent.</summary>
    BudgetExhausted,

    /// <summary>The monitor must decide: send <see cref="VcpuStop.Trap"/> to the trap router.</summary>
    Trap,

    /// <summary>A guest page the vCPU has no machine page for: ask the memory manager for <see cref="VcpuStop.Page"/>.</summary>
    NeedPage,

    /// <summary>The VM cannot go on (a hang, an exception loop); <see cref="VcpuStop.Diagnostic"/> says why.</summary>
    Halted,
}

/// <summary>Why <see cref="VirtualizedCpu.Run"/> returned. A value: one is made per trap.</summary>
/// <param name="Operation">For <see cref="VcpuStopKind.NeedPage"/>: a translation, or a copy of a page shared copy-on-write.</param>
public readonly record struct VcpuStop(VcpuStopKind Kind, TrapRequest? Trap = null, Ppn Page = default, string? Diagnostic = null, PageOperation Operation = PageOperation.Translate)
{
    public static readonly VcpuStop BudgetExhausted = new(VcpuStopKind.BudgetExhausted);
}
