namespace ActorVmm.Memory;

/// <summary>A guest-physical range to zero (a segment's bss).</summary>
public sealed record PhysicalRange(uint Address, uint Length);
