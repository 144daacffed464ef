using ActorVmm.Cpu.Elf;
using Xunit;

namespace ActorVmm.Cpu.Tests.Elf;

public sealed class ElfImageParseTests
{
    [Fact]
    public void Valid_two_segment_image_exposes_header_and_segments()
    {
        var builder = ElfBuilder.TwoSegments();
        var file = builder.Build();

        var image = ElfImage.Parse(file, "two.elf");

        Assert.Equal("two.elf", image.Name);
        Assert.Equal(0x00400010u, image.Entry);
        Assert.Equal(ElfFileType.Executable, image.Type);
        Assert.Equal(0x70001001u, image.Flags);
        Assert.Equal(2, image.Segments.Count);

        var text = image.Segments[0];
        Assert.Equal(0, text.Index);
        Assert.Equal(0x00400000u, text.VirtualAddress);
        Assert.Equal(0x00002000u, text.PhysicalAddress);
        Assert.Equal(0x100u, text.FileSize);
        Assert.Equal(0x100u, text.MemorySize);
        Assert.Equal(0x1000u, text.Alignment);
        Assert.Equal(ElfSegmentFlags.Read | ElfSegmentFlags.Execute, text.Flags);
        Assert.True(text.IsReadable && text.IsExecutable && !text.IsWritable);
        Assert.Equal("R-X", text.Permissions);
        Assert.Equal(builder.ProgramHeaders[0].Bytes, text.Data.ToArray());
        Assert.Equal(file.AsSpan((int)text.FileOffset, (int)text.FileSize).ToArray(), text.Data.ToArray());

        var data = image.Segments[1];
        Assert.Equal(0x00401000u, data.VirtualAddress);
        Assert.Equal(0x20u, data.FileSize);
        Assert.Equal(0x80u, data.MemorySize);
        Assert.Equal("RW-", data.Permissions);
        Assert.Equal(builder.ProgramHeaders[1].Bytes, data.Data.ToArray());

        Assert.Empty(image.Symbols);
    }

    [Fact]
    public void Non_load_program_headers_are_skipped_and_indices_kept()
    {
        var builder = new ElfBuilder { Entry = 0x00400000 };
        builder.Other(ElfBuilder.PtNote, new byte[8]);
        builder.Other(0x70000003, new byte[24]); // PT_MIPS_ABIFLAGS
        builder.Load(0x00400000, [0xAA], 0x10, ElfSegmentFlags.Read | ElfSegmentFlags.Execute);

        var image = ElfImage.Parse(builder.Build());

        var segment = Assert.Single(image.Segments);
        Assert.Equal(2, segment.Index);
    }

    [Fact]
    public void Unknown_flag_bits_are_dropped_from_permissions()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[0].Flags = (ElfSegmentFlags)0xF0000005;

        var image = ElfImage.Parse(builder.Build());

        Assert.Equal(ElfSegmentFlags.Read | ElfSegmentFlags.Execute, image.Segments[0].Flags);
    }

    [Fact]
    public void Parse_works_on_a_slice_of_a_larger_buffer()
    {
        var file = ElfBuilder.TwoSegments().Build();
        var padded = new byte[file.Length + 100];
        file.CopyTo(padded, 37);

        var image = ElfImage.Parse(padded.AsMemory(37, file.Length));

        Assert.Equal(ElfBuilder.Pattern(0x20, 0xA0), image.Segments[1].Data.ToArray());
    }
}
