using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Monitor;

/// <summary>
/// Intercepting a guest TLB write: which guest-physical pages it maps, and so which of them
/// must be translated to machine pages (VPN→PPN becomes VPN→MPN) before it can be decided.
/// </summary>
public static class TlbWriteInterception
{
    /// <summary>
    /// The guest-physical pages of the entry's valid 4 KB halves. Larger pages (the kernel's
    /// wired window) are translated page by page on first use instead, so a 16 MB mapping
    /// does not allocate 16 MB of machine memory.
    /// </summary>
    public static IReadOnlyList<Ppn> PagesOf(in TlbEntry entry)
    {
        if (entry.PageMask != 0)
        {
            return [];
        }

        var pages = new List<Ppn>(2);
        foreach (bool odd in (ReadOnlySpan<bool>)[false, true])
        {
            var half = entry.Half(odd);
            if (half.Valid)
            {
                pages.Add(half.FirstPpn);
            }
        }

        return pages;
    }

    /// <summary>The entry's pages that <paramref name="known"/> (the vCPU's earlier answers) does not cover.</summary>
    public static ImmutableArray<Ppn> PagesToTranslate(in TlbEntry entry, ImmutableArray<GuestPageMapping> known)
    {
        var pages = PagesOf(entry);
        if (pages.Count == known.Length)
        {
            return ImmutableArray<Ppn>.Empty; // the vCPU knew them all (it only sends pages of this entry)
        }

        var unknown = ImmutableArray.CreateBuilder<Ppn>(pages.Count);
        foreach (var ppn in pages)
        {
            bool seen = false;
            foreach (var k in known)
            {
                seen |= k.Ppn == ppn;
            }

            if (!seen)
            {
                unknown.Add(ppn);
            }
        }

        return unknown.ToImmutable();
    }

    /// <summary>The machine page a half maps to among <paramref name="pages"/>, for the trace; <see cref="TraceRecord.NoPage"/> if none.</summary>
    public static uint MachinePageOf(in TlbHalf half, ImmutableArray<GuestPageMapping> pages)
    {
        if (!half.Valid || pages.IsDefaultOrEmpty)
        {
            return TraceRecord.NoPage;
        }

        var ppn = half.FirstPpn;
        foreach (var m in pages)
        {
            if (m.Ppn == ppn && m.IsMemory)
            {
                return m.Mpn.Value;
            }
        }

        return TraceRecord.NoPage;
    }
}
