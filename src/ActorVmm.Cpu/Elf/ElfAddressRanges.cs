namespace ActorVmm.Cpu.Elf;

/// <summary>
/// The checks that depend on which address of a segment is used. Parsing applies them to
/// virtual addresses, which every executable must get right; the loader applies them again
/// to physical addresses when it places a kernel by p_paddr.
/// </summary>
internal static class ElfAddressRanges
{
    public static uint StartOf(ElfSegment segment, ElfAddressing addressing) =>
        addressing == ElfAddressing.Physical ? segment.PhysicalAddress : segment.VirtualAddress;

    public static string SpaceName(ElfAddressing addressing) =>
        addressing == ElfAddressing.Physical ? "physical" : "virtual";

    public static void RefuseWrapAndOverlap(IReadOnlyList<ElfSegment> segments, ElfAddressing addressing, string? name)
    {
        string space = SpaceName(addressing);
        foreach (var segment in segments)
        {
            uint start = StartOf(segment, addressing);
            // An end of exactly 2^32 is refused too: LoadedSegment.End must fit in a uint, and no
            // region this machine loads into (kuseg, ksseg-backed RAM) reaches the top page.
            if ((ulong)start + segment.MemorySize > uint.MaxValue)
            {
                throw new ElfFormatException(name,
                    $"segment {segment.Index} (PT_LOAD) {space} range [0x{start:X8}, +0x{segment.MemorySize:X}) wraps around 2^32 (does not fit in the 32-bit address space)");
            }
        }

        var order = new ElfSegment[segments.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = segments[i];
        }

        // Stable order for equal starts keeps the message deterministic.
        Array.Sort(order, (a, b) => StartOf(a, addressing) != StartOf(b, addressing)
            ? StartOf(a, addressing).CompareTo(StartOf(b, addressing))
            : a.Index.CompareTo(b.Index));

        // Tracking the furthest-reaching segment so far catches a segment that swallows
        // several later ones, not only neighbours that touch.
        ElfSegment? reach = null;
        foreach (var segment in order)
        {
            if (segment.MemorySize == 0)
            {
                continue;
            }

            uint start = StartOf(segment, addressing);
            if (reach is not null && start < End(reach, addressing))
            {
                var (first, second) = reach.Index < segment.Index ? (reach, segment) : (segment, reach);
                throw new ElfFormatException(name,
                    $"segments {first.Index} and {second.Index} (PT_LOAD) overlap in the {space} address space: {Describe(first, addressing)} and {Describe(second, addressing)}");
            }

            if (reach is null || End(segment, addressing) > End(reach, addressing))
            {
                reach = segment;
            }
        }
    }

    public static ulong End(ElfSegment segment, ElfAddressing addressing) => (ulong)StartOf(segment, addressing) + segment.MemorySize;

    public static string Describe(ElfSegment segment, ElfAddressing addressing) =>
        $"[0x{StartOf(segment, addressing):X8}, 0x{End(segment, addressing):X8})";
}
