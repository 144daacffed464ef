using System.Collections.Immutable;

namespace ActorVmm.Cpu;

/// <summary>
/// What a core holds that is the guest's, as a value: registers, PC and branch state, the LL
/// bit, and its instruction counters. CP0 and the TLB are the owner's to capture (under the
/// monitor they are virtual); translation caches are rebuilt, never saved.
/// </summary>
public sealed record CoreState(
    ImmutableArray<uint> Gpr,
    uint Hi,
    uint Lo,
    uint Pc,
    uint NextPc,
    bool InDelaySlot,
    bool LLBit,
    long Retired,
    ImmutableArray<long> RetiredByMode);
