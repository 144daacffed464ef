namespace ActorVmm.Memory;

/// <summary>A node's machine memory at a moment, for the report.</summary>
/// <param name="PagesByVm">Machine pages each VM was given over its life (released ones included).</param>
public sealed record MemoryUsage(uint TotalPages, uint AllocatedPages, IReadOnlyDictionary<int, uint> PagesByVm, uint PeakAllocatedPages);
