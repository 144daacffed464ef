using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>
/// A vCPU between two dispatches, as a value: everything the guest can observe (registers,
/// virtual CP0 and TLB, the virtual timer) and everything the report counts (instructions,
/// cycles per mechanism, traps, services). Machine state is not in it: the machine TLB is
/// flushed on restore (as on a machine switch) and refilled from the L2 TLB; the L2 TLB's page
/// facts are re-learnt from the memory manager of the node it lands on, except those that
/// name no machine page (the device page, pages outside the VM), which are kept. The pages
/// written since the last checkpoint go with it, so that a VM that moves keeps its
/// checkpoints incremental.
/// </summary>
public sealed record VcpuState(
    CoreState Core,
    Cp0State Virtual,
    ImmutableArray<TlbEntry> VirtualTlb,
    TimerState Timer,
    LoopState Loop,
    bool ResumePending,
    uint ResumeTarget,
    long L2TlbHits,
    LedgerSnapshot Ledger,
    ServiceProfileState Services,
    long ContextSwitches,
    uint LastUserAsid,
    ImmutableArray<TrapCount> Traps,
    ImmutableArray<GuestPageMapping> PageFacts,
    DirtyPages Dirty)
{
    /// <summary>
    /// A paravirtual guest's special page (the first PPN of its area), or null: where the vCPU
    /// restored from this state must pin the page again and keep it coherent
    /// (<see cref="VirtualizedCpu.RestoreSpecialPage"/>).
    /// </summary>
    public Ppn? SpecialArea { get; init; }
}

/// <summary>The virtual timer: Count = retired instructions + <paramref name="Offset"/>; <paramref name="Stopped"/> while Cause.DC is set.</summary>
public sealed record TimerState(uint Offset, uint Stopped, long IdleCycles);

/// <summary>The exception-loop detector's count of reflections without progress.</summary>
public sealed record LoopState(long RetiredAtLast, int WithoutProgress, string? Stuck);

/// <summary>One row of a vCPU's trap tally: its key, the first trap of the key (for its name) and the count.</summary>
public sealed record TrapCount(int Key, TrapKind Kind, GuestException First, long Count);

/// <summary>Dirty tracking (<see cref="DirtyPageTracker"/>): whether it is on, and the PPNs written since the last checkpoint.</summary>
public sealed record DirtyPages(bool Tracking, ImmutableArray<uint> Pages)
{
    public static DirtyPages Off { get; } = new(false, []);
}
