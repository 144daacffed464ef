using ActorVmm.Cpu.Elf;
using Xunit;

namespace ActorVmm.Cpu.Tests.Elf;

public sealed class ElfImageRefusalTests
{
    private const string Name = "prog.elf";

    private static ElfFormatException Refused(byte[] file, params string[] keyWords)
    {
        var error = Assert.Throws<ElfFormatException>(() => ElfImage.Parse(file, Name));
        Assert.StartsWith(Name + ": ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        foreach (string word in keyWords)
        {
            Assert.Contains(word, error.Message);
        }

        return error;
    }

    private static byte[] Valid() => ElfBuilder.TwoSegments().Build();

    [Fact]
    public void Empty_file_is_refused_as_empty()
    {
        Refused([], "empty");
    }

    [Fact]
    public void A_script_is_not_an_elf_file()
    {
        Refused("#!/bin/sh\necho hi\n"u8.ToArray(), "not an ELF file", "bad magic", "23 21 2F 62");
    }

    [Fact]
    public void Three_bytes_of_magic_are_not_an_elf_file()
    {
        Refused([0x7F, 0x45, 0x4C], "not an ELF file", "bad magic");
    }

    [Fact]
    public void Header_cut_short_is_truncated()
    {
        Refused(Valid()[..30], "truncated ELF header", "30 bytes");
    }

    [Fact]
    public void Elf64_is_refused_by_class()
    {
        Refused(new ElfBuilder { Class = 2 }.Build(), "ELFCLASS64", "ELFCLASS32");
    }

    [Fact]
    public void Invalid_class_is_named()
    {
        Refused(new ElfBuilder { Class = 0 }.Build(), "invalid ELF class 0");
    }

    [Fact]
    public void Big_endian_is_refused()
    {
        Refused(new ElfBuilder { Data = 2 }.Build(), "big-endian", "ELFDATA2MSB", "ELFDATA2LSB");
    }

    [Fact]
    public void Invalid_data_encoding_is_named()
    {
        Refused(new ElfBuilder { Data = 7 }.Build(), "invalid data encoding 7");
    }

    [Fact]
    public void Wrong_ident_version_is_refused()
    {
        Refused(new ElfBuilder { IdentVersion = 0 }.Build(), "EI_VERSION", "version (EI_VERSION) 0", "EV_CURRENT");
    }

    [Fact]
    public void X86_64_machine_is_named()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.Machine = 62;
        Refused(builder.Build(), "machine 62", "EM_X86_64", "EM_MIPS");
    }

    [Fact]
    public void Unknown_machine_number_is_given()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.Machine = 1234;
        Refused(builder.Build(), "machine 1234", "not MIPS");
    }

    [Fact]
    public void Shared_object_is_refused_with_the_documented_text()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.Type = 3;
        Refused(builder.Build(), "is a shared object (ET_DYN); only static executables (ET_EXEC) can be loaded");
    }

    [Theory]
    [InlineData(0, "ET_NONE")]
    [InlineData(1, "ET_REL")]
    [InlineData(4, "ET_CORE")]
    [InlineData(0xFE00, "0xFE00")]
    public void Other_file_types_are_named(ushort type, string expected)
    {
        var builder = ElfBuilder.TwoSegments();
        builder.Type = type;
        Refused(builder.Build(), expected, "only static executables (ET_EXEC)");
    }

    [Fact]
    public void Wrong_e_version_is_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.Version = 0;
        Refused(builder.Build(), "e_version 0");
    }

    [Fact]
    public void Wrong_header_size_is_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.EhSize = 64;
        Refused(builder.Build(), "e_ehsize 64", "52 bytes");
    }

    [Fact]
    public void Wrong_program_header_entry_size_is_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.PhEntSize = 56;
        Refused(builder.Build(), "e_phentsize 56", "32 bytes");
    }

    [Fact]
    public void No_program_headers_at_all_is_refused()
    {
        Refused(new ElfBuilder().Build(), "no program headers", "PT_LOAD");
    }

    [Fact]
    public void Program_header_table_beyond_the_file_is_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.PhOffOverride = 0x10000;
        Refused(builder.Build(), "program header table [0x10000, 0x10040)", "outside the file");
    }

    [Fact]
    public void Program_header_table_cut_short_is_refused()
    {
        Refused(Valid()[..(52 + 40)], "program header table", "outside the file (92 bytes)", "truncated");
    }

    [Fact]
    public void Too_many_program_headers_for_the_file_are_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.PhNumOverride = 0xFFFF;
        Refused(builder.Build(), "program header table", "65535 entries", "outside the file");
    }

    [Fact]
    public void Segment_whose_bytes_run_past_the_end_of_the_file_is_truncated()
    {
        var file = Valid();
        // The data segment's 0x20 bytes are the last thing in the file.
        Refused(file[..^8], "segment 1 (PT_LOAD)", "outside the file", "truncated");
    }

    [Fact]
    public void Segment_claiming_more_file_bytes_than_the_file_has_is_truncated()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[0].FileSize = 0x10000;
        builder.ProgramHeaders[0].MemSize = 0x10000;
        builder.ProgramHeaders[1].VAddr = 0x00410000;
        Refused(builder.Build(), "segment 0 (PT_LOAD) file bytes", "0x10080)", "truncated");
    }

    [Fact]
    public void Segment_offset_far_outside_the_file_is_refused_without_overflow()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[0].Offset = 0xFFFFFFF0;
        Refused(builder.Build(), "segment 0 (PT_LOAD) file bytes [0xFFFFFFF0, 0x1000000F0)", "outside the file");
    }

    [Fact]
    public void File_size_larger_than_memory_size_is_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[1].MemSize = 0x10;
        Refused(builder.Build(), "segment 1 (PT_LOAD)", "p_filesz 0x20", "larger than p_memsz 0x10");
    }

    [Fact]
    public void Overlapping_segments_are_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[1].VAddr = 0x004000F0;
        Refused(builder.Build(), "segments 0 and 1 (PT_LOAD) overlap in the virtual address space",
            "[0x00400000, 0x00400100)", "[0x004000F0, 0x00400170)");
    }

    [Fact]
    public void Overlap_between_segments_not_adjacent_in_the_table_is_found()
    {
        // Table order 0, 1, 2; address order 0, 2, 1, so 0 and 2 are only neighbours once sorted.
        var builder = new ElfBuilder { Entry = 0x00400000 };
        builder.Load(0x00400000, [], 0x10000, ElfSegmentFlags.Read);
        builder.Load(0x00500000, [], 0x100, ElfSegmentFlags.Read);
        builder.Load(0x00408000, [], 0x100, ElfSegmentFlags.Read);
        Refused(builder.Build(), "segments 0 and 2 (PT_LOAD) overlap");
    }

    [Fact]
    public void Segments_that_only_touch_are_accepted()
    {
        var builder = new ElfBuilder { Entry = 0x00400000 };
        builder.Load(0x00400000, [1, 2], 0x1000, ElfSegmentFlags.Read);
        builder.Load(0x00401000, [3], 0x1000, ElfSegmentFlags.Read);
        Assert.Equal(2, ElfImage.Parse(builder.Build(), Name).Segments.Count);
    }

    [Fact]
    public void Only_non_load_program_headers_is_refused()
    {
        var builder = new ElfBuilder();
        builder.Other(ElfBuilder.PtNote, new byte[16]);
        Refused(builder.Build(), "no loadable segments", "PT_LOAD");
    }

    [Fact]
    public void Segment_wrapping_around_the_address_space_is_refused()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.ProgramHeaders[1].VAddr = 0xFFFFFFC0;
        Refused(builder.Build(), "segment 1 (PT_LOAD) virtual range [0xFFFFFFC0, +0x80)", "wraps around 2^32");
    }

    [Fact]
    public void Dynamically_linked_executable_is_refused_and_names_its_interpreter()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.Other(ElfBuilder.PtInterp, "/lib/ld.so.1\0"u8.ToArray());
        Refused(builder.Build(), "dynamically linked", "PT_INTERP", "/lib/ld.so.1", "static");
    }

    [Fact]
    public void Interpreter_path_outside_the_file_still_refuses_clearly()
    {
        var builder = ElfBuilder.TwoSegments();
        builder.Other(ElfBuilder.PtInterp, [0x2F]).Offset = 0x7FFFFFFF;
        Refused(builder.Build(), "dynamically linked (PT_INTERP)");
    }

    [Fact]
    public void Without_a_name_the_message_is_just_the_problem()
    {
        var error = Assert.Throws<ElfFormatException>(() => ElfImage.Parse(Array.Empty<byte>()));
        Assert.Null(error.FileName);
        Assert.Equal(error.Problem, error.Message);
        Assert.IsAssignableFrom<FormatException>(error);
    }
}
