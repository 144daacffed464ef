using ActorVmm.Memory;

namespace ActorVmm.Cpu.Elf;

/// <summary>Places a parsed executable's segments in a memory block.</summary>
public static class ElfLoader
{
    /// <summary>
    /// Copies each PT_LOAD's file bytes to its address (virtual or physical, see
    /// <paramref name="addressing"/>) and zeroes its bss. Everything is checked before the
    /// first byte is written, so a refused image leaves the block untouched.
    /// </summary>
    /// <param name="freshMemory">
    /// The block was just allocated and nothing has written to it: it reads as zero already,
    /// and the host commits a page only when it is written. Its bss is then left alone, as a
    /// kernel maps bss to zero pages on demand: clearing a bss of 2 GB (a p_memsz is only a
    /// number in the file) would commit 2 GB of host memory and take seconds.
    /// </param>
    /// <exception cref="ElfFormatException">A segment lies outside the block, or (physical) wraps or overlaps another.</exception>
    public static LoadedImage Load(ElfImage image, MemoryBlock memory, ElfAddressing addressing, bool freshMemory = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(memory);
        if (addressing is not (ElfAddressing.Virtual or ElfAddressing.Physical))
        {
            throw new ArgumentOutOfRangeException(nameof(addressing), addressing, "unknown addressing");
        }

        var segments = image.Segments;
        // Parsing already checked virtual addresses; physical ones are only meaningful now.
        if (addressing == ElfAddressing.Physical)
        {
            ElfAddressRanges.RefuseWrapAndOverlap(segments, addressing, image.Name);
        }

        string space = ElfAddressRanges.SpaceName(addressing);
        var placed = new LoadedSegment[segments.Count];
        uint lowest = uint.MaxValue;
        uint highest = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            uint start = ElfAddressRanges.StartOf(segment, addressing);
            if (!memory.Contains(start, segment.MemorySize))
            {
                throw new ElfFormatException(image.Name,
                    $"segment {segment.Index} (PT_LOAD) at {space} {ElfAddressRanges.Describe(segment, addressing)} lies outside memory of 0x{memory.Size:X} bytes ({DescribeSize(memory.Size)})");
            }

            // RefuseWrapAndOverlap guarantees the end fits in 32 bits.
            uint end = start + segment.MemorySize;
            placed[i] = new LoadedSegment(start, end, LoadedSegment.PermissionOf(segment.Flags));
            lowest = Math.Min(lowest, start);
            highest = Math.Max(highest, end);
        }

        for (int i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            uint start = placed[i].Start;
            memory.Write(start, segment.Data.Span);
            // Unless fresh, cleared rather than assumed zero: the block may be reused (a reboot,
            // an exec over a previous program) and bss must not inherit its old contents.
            if (!freshMemory)
            {
                memory.Clear((ulong)start + segment.FileSize, segment.MemorySize - segment.FileSize);
            }
        }

        return new LoadedImage(image.Entry, lowest, highest, addressing, placed);
    }

    private static string DescribeSize(ulong size) =>
        size >= 1UL << 20 && (size & ((1UL << 20) - 1)) == 0 ? $"{size >> 20} MB" : $"{size >> 10} KB";
}
