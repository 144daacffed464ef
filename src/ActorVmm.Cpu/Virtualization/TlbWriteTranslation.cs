using ActorVmm.Memory;

namespace ActorVmm.Cpu.Virtualization;

/// <summary>Which guest-physical pages an intercepted TLB write must have translated to MPNs.</summary>
public static class TlbWriteTranslation
{
    /// <summary>
    /// The valid 4 KB halves of the entry. Larger pages (the kernel's wired window) are
    /// translated page by page on first use instead, so a 16 MB mapping does not allocate
    /// 16 MB of machine memory.
    /// </summary>
    public static IReadOnlyList<Ppn> PagesOf(in TlbEntry entry)
    {
        if (entry.PageMask != 0)
        {
            return [];
        }

        var pages = new List<Ppn>(2);
        if ((entry.EntryLo0 & EntryLoBits.V) != 0)
        {
            pages.Add(Ppn.Of(entry.PhysicalAddress(entry.VirtualBase, entry.EntryLo0)));
        }

        if ((entry.EntryLo1 & EntryLoBits.V) != 0)
        {
            pages.Add(Ppn.Of(entry.PhysicalAddress(entry.VirtualBase + MachinePage.Size, entry.EntryLo1)));
        }

        return pages;
    }
}
