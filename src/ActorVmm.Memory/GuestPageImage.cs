namespace ActorVmm.Memory;

/// <summary>A copy of one guest page's 4 KB: its PPN and bytes (which machine page held it is the node's business).</summary>
public sealed record GuestPageImage(Ppn Ppn, System.Collections.Immutable.ImmutableArray<byte> Bytes);
