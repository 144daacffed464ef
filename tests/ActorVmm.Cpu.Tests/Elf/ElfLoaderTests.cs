using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Cpu.Tests.Elf;

public sealed class ElfLoaderTests
{
    private const ulong EightMegabytes = 8UL << 20;

    private static MemoryBlock Garbage(ulong size)
    {
        var memory = new MemoryBlock(size);
        memory.Slice(0, 0x10000).Fill(0xCC);
        if (memory.Contains(0x00400000, 0x10000))
        {
            memory.Slice(0x00400000, 0x10000).Fill(0xCC);
        }

        return memory;
    }

    private static byte[] Read(MemoryBlock memory, uint address, int length) => memory.Slice(address, length).ToArray();

    [Fact]
    public void Virtual_load_copies_bytes_zeroes_bss_and_reports_the_extent()
    {
        using var memory = Garbage(EightMegabytes);
        var image = ElfImage.Parse(ElfBuilder.TwoSegments().Build(), "two.elf");

        var loaded = ElfLoader.Load(image, memory, ElfAddressing.Virtual);

        Assert.Equal(ElfBuilder.Pattern(0x100, 0x10), Read(memory, 0x00400000, 0x100));
        Assert.Equal(ElfBuilder.Pattern(0x20, 0xA0), Read(memory, 0x00401000, 0x20));
        Assert.All(Read(memory, 0x00401020, 0x60), b => Assert.Equal(0, b));
        // Exactly memsz: the byte after bss keeps what was there.
        Assert.Equal(0xCC, Read(memory, 0x00401080, 1)[0]);
        Assert.Equal(0xCC, Read(memory, 0x00400100, 1)[0]);

        Assert.Equal(0x00400010u, loaded.Entry);
        Assert.Equal(0x00400000u, loaded.LowestAddress);
        Assert.Equal(0x00401080u, loaded.HighestAddress);
        Assert.Equal(ElfAddressing.Virtual, loaded.Addressing);
        Assert.Equal(
            [
                new LoadedSegment(0x00400000, 0x00400100, PagePermission.ReadExecute),
                new LoadedSegment(0x00401000, 0x00401080, PagePermission.ReadWrite),
            ],
            loaded.Segments);
        Assert.Equal("[0x00401000, 0x00401080) RW-", loaded.Segments[1].ToString());
    }

    [Fact]
    public void A_bss_of_two_gigabytes_in_fresh_memory_commits_no_host_memory()
    {
        // Issue 10: p_memsz of hello.elf set to 0x7F000000 made exec commit 2.1 GB and take
        // 4 s zeroing memory that calloc had already given as zero.
        var builder = new ElfBuilder { Entry = 0x00400000 };
        builder.Load(0x00400000, ElfBuilder.Pattern(0x100, 0x10), 0x7F000000, ElfSegmentFlags.Read | ElfSegmentFlags.Write);
        var image = ElfImage.Parse(builder.Build(), "huge-bss.elf");
        using var memory = new MemoryBlock(0x80000000);
        long before = Rss();

        var loaded = ElfLoader.Load(image, memory, ElfAddressing.Virtual, freshMemory: true);

        long grown = Rss() - before;
        Assert.True(grown < 1L << 30, $"loading committed {grown >> 20} MB of host memory for a bss nobody has touched");
        Assert.Equal(0x7F400000u, loaded.HighestAddress);
        Assert.Equal(ElfBuilder.Pattern(0x100, 0x10), Read(memory, 0x00400000, 0x100));
        Assert.All(Read(memory, 0x7F3FF000, 0x1000), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Bss_in_reused_memory_is_cleared_even_where_fresh_memory_would_not_be()
    {
        using var memory = Garbage(EightMegabytes);
        ElfLoader.Load(ElfImage.Parse(ElfBuilder.TwoSegments().Build()), memory, ElfAddressing.Virtual, freshMemory: false);
        Assert.All(Read(memory, 0x00401020, 0x60), b => Assert.Equal(0, b));
    }

    /// <summary>Resident host memory of this process, from the kernel's own count.</summary>
    private static long Rss()
    {
        string status = File.ReadAllText("/proc/self/status");
        string line = status.Split('\n').First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) << 10;
    }

    [Fact]
    public void Physical_load_places_segments_at_p_paddr_and_leaves_virtual_addresses_alone()
    {
        using var memory = Garbage(EightMegabytes);
        var image = ElfImage.Parse(ElfBuilder.TwoSegments().Build());

        var loaded = ElfLoader.Load(image, memory, ElfAddressing.Physical);

        Assert.Equal(ElfBuilder.Pattern(0x100, 0x10), Read(memory, 0x2000, 0x100));
        Assert.Equal(ElfBuilder.Pattern(0x20, 0xA0), Read(memory, 0x3000, 0x20));
        Assert.All(Read(memory, 0x3020, 0x60), b => Assert.Equal(0, b));
        Assert.All(Read(memory, 0x00400000, 0x100), b => Assert.Equal(0xCC, b));
        Assert.Equal(0x00400010u, loaded.Entry);
        Assert.Equal(0x2000u, loaded.LowestAddress);
        Assert.Equal(0x3080u, loaded.HighestAddress);
        Assert.Equal(0x2000u, loaded.Segments[0].Start);
        Assert.Equal(0x80u, loaded.Segments[1].Size);
    }

    [Fact]
    public void Kernel_linked_in_ksseg_loads_by_physical_address()
    {
        // The boot contract's shape: p_vaddr = 0xC0000000 + p_paddr.
        var builder = new ElfBuilder { Entry = 0xC0001000 };
        builder.Load(0xC0001000, [0x08, 0x00, 0xE0, 0x03], 0x1000, ElfSegmentFlags.Read | ElfSegmentFlags.Execute, paddr: 0x1000);
        builder.Load(0xC0002000, [1, 2, 3, 4], 0x3000, ElfSegmentFlags.Read | ElfSegmentFlags.Write, paddr: 0x2000);
        using var memory = Garbage(1UL << 20);

        var loaded = ElfLoader.Load(ElfImage.Parse(builder.Build(), "kernel.elf"), memory, ElfAddressing.Physical);

        Assert.Equal([0x08, 0x00, 0xE0, 0x03], Read(memory, 0x1000, 4));
        Assert.Equal(0x1000u, loaded.LowestAddress);
        Assert.Equal(0x5000u, loaded.HighestAddress);
        Assert.Equal(0xC0001000u, loaded.Entry);
    }

    [Fact]
    public void Segment_outside_the_block_is_refused_before_anything_is_written()
    {
        using var memory = Garbage(EightMegabytes);
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[1].VAddr = 0x007FFFC0;
        var image = ElfImage.Parse(builder.Build(), "big.elf");

        var error = Assert.Throws<ElfFormatException>(() => ElfLoader.Load(image, memory, ElfAddressing.Virtual));

        Assert.Equal("big.elf: segment 1 (PT_LOAD) at virtual [0x007FFFC0, 0x00800040) lies outside memory of 0x800000 bytes (8 MB)", error.Message);
        Assert.All(Read(memory, 0x00400000, 0x100), b => Assert.Equal(0xCC, b));
    }

    [Fact]
    public void Kernel_larger_than_ram_names_the_physical_range()
    {
        var builder = new ElfBuilder { Entry = 0xC0001000 };
        builder.Load(0xC0001000, [0], 0x200000, ElfSegmentFlags.Read, paddr: 0x1000);
        using var memory = new MemoryBlock(1UL << 20);

        var error = Assert.Throws<ElfFormatException>(() =>
            ElfLoader.Load(ElfImage.Parse(builder.Build(), "kernel.elf"), memory, ElfAddressing.Physical));

        Assert.Contains("segment 0 (PT_LOAD) at physical [0x00001000, 0x00201000)", error.Message);
        Assert.Contains("1 MB", error.Message);
    }

    [Fact]
    public void Segments_overlapping_only_physically_load_virtually_but_not_physically()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[1].PAddr = 0x2080;
        var image = ElfImage.Parse(builder.Build(), "alias.elf");
        using var memory = new MemoryBlock(EightMegabytes);

        ElfLoader.Load(image, memory, ElfAddressing.Virtual);
        var error = Assert.Throws<ElfFormatException>(() => ElfLoader.Load(image, memory, ElfAddressing.Physical));

        Assert.Contains("segments 0 and 1 (PT_LOAD) overlap in the physical address space", error.Message);
    }

    [Fact]
    public void Physical_range_wrapping_around_2_to_the_32_is_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[0].PAddr = 0xFFFFFFF0;
        var image = ElfImage.Parse(builder.Build());
        using var memory = new MemoryBlock(EightMegabytes);

        var error = Assert.Throws<ElfFormatException>(() => ElfLoader.Load(image, memory, ElfAddressing.Physical));

        Assert.Contains("physical range [0xFFFFFFF0, +0x100) wraps around 2^32", error.Message);
    }

    [Fact]
    public void Empty_bss_only_segment_is_zeroed()
    {
        var builder = new ElfBuilder { Entry = 0x00400000 };
        builder.Load(0x00400000, [0x01], 0x10, ElfSegmentFlags.Read | ElfSegmentFlags.Execute);
        builder.Load(0x00402000, [], 0x2000, ElfSegmentFlags.Read | ElfSegmentFlags.Write);
        using var memory = new MemoryBlock(EightMegabytes);
        memory.Slice(0x00402000, 0x2000).Fill(0x5A);

        var loaded = ElfLoader.Load(ElfImage.Parse(builder.Build()), memory, ElfAddressing.Virtual);

        Assert.All(Read(memory, 0x00402000, 0x2000), b => Assert.Equal(0, b));
        Assert.Equal(0x00404000u, loaded.HighestAddress);
    }
}
