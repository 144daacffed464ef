namespace ActorVmm.Memory;

/// <summary>The 4 KB page that TLB entries, pmaps and the allocator all count in.</summary>
public static class MachinePage
{
    public const int Shift = 12;
    public const int Size = 1 << Shift;
    public const uint OffsetMask = Size - 1;

    public static ulong RoundUp(ulong bytes) => (bytes + OffsetMask) & ~(ulong)OffsetMask;
}
