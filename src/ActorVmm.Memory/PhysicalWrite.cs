namespace ActorVmm.Memory;

/// <summary>Bytes to place at a guest-physical address (a kernel segment's file bytes).</summary>
public sealed record PhysicalWrite(uint Address, ReadOnlyMemory<byte> Bytes);
