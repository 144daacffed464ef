namespace ActorVmm.Cpu;

/// <summary>EntryLo0/1 fields: PFN, cache attribute, Dirty, Valid, Global.</summary>
public static class EntryLoBits
{
    public const uint G = 1u << 0;
    public const uint V = 1u << 1;
    public const uint D = 1u << 2;
    public const int CShift = 3;
    public const uint CMask = 7u << CShift;
    public const int PfnShift = 6;
    public const uint PfnMask = 0x00FFFFFFu << PfnShift;
    public const uint WritableMask = 0x3FFFFFFF;

    public const uint CacheUncached = 2;
    public const uint CacheCacheable = 3;

    public static uint Pfn(uint entryLo) => (entryLo & PfnMask) >> PfnShift;

    public static uint Make(uint pfn, uint cache, bool dirty, bool valid, bool global) =>
        ((pfn << PfnShift) & PfnMask) | ((cache << CShift) & CMask) | (dirty ? D : 0) | (valid ? V : 0) | (global ? G : 0);
}
