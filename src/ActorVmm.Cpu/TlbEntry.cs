using ActorVmm.Memory;

namespace ActorVmm.Cpu;

/// <summary>
/// One dual-page TLB entry as TLBWI/TLBWR write it: EntryHi (VPN2, ASID), PageMask and the
/// two EntryLo halves. G is kept in both halves, as TLBR reads it back.
/// </summary>
public readonly record struct TlbEntry(uint EntryHi, uint PageMask, uint EntryLo0, uint EntryLo1)
{
    public bool Global => (EntryLo0 & EntryLo1 & EntryLoBits.G) != 0;

    public uint Asid => EntryHi & EntryHiBits.AsidMask;

    /// <summary>Bytes in each of the two pages (4 KB for PageMask 0).</summary>
    public uint PageSize => ((PageMask | 0x1FFF) + 1) >> 1;

    /// <summary>The bits of a virtual address that must equal VPN2 for a match.</summary>
    public uint Vpn2CompareMask => ~(PageMask | 0x1FFF);

    /// <summary>First virtual address the entry covers (the even page).</summary>
    public uint VirtualBase => EntryHi & Vpn2CompareMask;

    public bool Matches(uint va, uint asid) =>
        ((va ^ EntryHi) & Vpn2CompareMask) == 0 && (Global || Asid == asid);

    /// <summary>The EntryLo that maps <paramref name="va"/>, assuming the entry matches it.</summary>
    public uint EntryLoFor(uint va) => (va & PageSize) != 0 ? EntryLo1 : EntryLo0;

    /// <summary>Physical address of <paramref name="va"/> through <paramref name="entryLo"/>.</summary>
    public ulong PhysicalAddress(uint va, uint entryLo)
    {
        ulong pageSize = PageSize;
        ulong frame = (ulong)EntryLoBits.Pfn(entryLo) << 12;
        return (frame & ~(pageSize - 1)) | (va & (pageSize - 1));
    }

    /// <summary>The even (<paramref name="odd"/> false) or odd page of the pair: where it is, and its EntryLo.</summary>
    public TlbHalf Half(bool odd)
    {
        uint lo = odd ? EntryLo1 : EntryLo0;
        uint va = VirtualBase + (odd ? PageSize : 0);
        return new TlbHalf(va, lo, PhysicalAddress(va, lo));
    }

    /// <summary>
    /// An entry that can never match: each reset entry gets a distinct VPN2 in kseg0, which
    /// is unmapped, so stale hardware state cannot alias a real mapping.
    /// </summary>
    public static TlbEntry Unused(int index) => new(0x80000000u + ((uint)index << 13), 0, 0, 0);

    public static TlbEntry FromCp0(in Cp0State cp0)
    {
        uint global = cp0.EntryLo0 & cp0.EntryLo1 & EntryLoBits.G;
        uint lo0 = (cp0.EntryLo0 & ~EntryLoBits.G) | global;
        uint lo1 = (cp0.EntryLo1 & ~EntryLoBits.G) | global;
        // VPN2 bits covered by the page mask are not stored, as in hardware.
        uint hi = cp0.EntryHi & (~cp0.PageMask & EntryHiBits.WritableMask);
        return new TlbEntry(hi, cp0.PageMask, lo0, lo1);
    }

    public override string ToString() =>
        $"VA 0x{VirtualBase:X8} ASID {Asid}{(Global ? " G" : "")} {PageSize >> 10}K: " +
        $"lo0 PFN 0x{EntryLoBits.Pfn(EntryLo0):X}{Flags(EntryLo0)} lo1 PFN 0x{EntryLoBits.Pfn(EntryLo1):X}{Flags(EntryLo1)}";

    private static string Flags(uint lo) =>
        ((lo & EntryLoBits.V) != 0 ? " V" : "") + ((lo & EntryLoBits.D) != 0 ? " D" : "");
}
