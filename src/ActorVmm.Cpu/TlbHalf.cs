using ActorVmm.Memory;

namespace ActorVmm.Cpu;

/// <summary>
/// One of a TLB entry's two pages: its first virtual address, its EntryLo and the physical
/// address that virtual address maps to. Every piece of code that looks at an entry page by
/// page (the monitor's TLB-write interception, its machine-TLB refill, the trace) goes
/// through this, so the even/odd arithmetic is written once.
/// </summary>
public readonly record struct TlbHalf(uint VirtualBase, uint EntryLo, ulong PhysicalBase)
{
    public bool Valid => (EntryLo & EntryLoBits.V) != 0;

    public bool Dirty => (EntryLo & EntryLoBits.D) != 0;

    /// <summary>The guest-physical page the half starts at (for a large page, its first 4 KB page).</summary>
    public Ppn FirstPpn => Ppn.Of(PhysicalBase);
}
