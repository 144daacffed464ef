using System.Collections.Immutable;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

public enum RouterStepKind : byte
{
    /// <summary>Reply <see cref="RouterStep.Decision"/> (and the machine pages it needs) to the vCPU.</summary>
    Decided,

    /// <summary>Ask the memory manager to do <see cref="RouterStep.Operation"/> on <see cref="RouterStep.Pages"/>; the decision waits for <see cref="RouterStep.Correlation"/>.</summary>
    Translate,

    /// <summary>Nothing to do (a translation reply nobody waits for).</summary>
    None,
}

/// <summary>What the trap router does next. A value: one is made per trap.</summary>
/// <param name="Mappings">For a TLB write: the machine pages the memory manager gave for pages the vCPU had not seen.</param>
public readonly record struct RouterStep(
    RouterStepKind Kind,
    TrapDecision? Decision = null,
    ImmutableArray<GuestPageMapping> Mappings = default,
    long Correlation = 0,
    ImmutableArray<Ppn> Pages = default,
    PageOperation Operation = PageOperation.Translate)
{
    public static readonly RouterStep None = new(RouterStepKind.None);
}
