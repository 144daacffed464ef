using ActorVmm.Cpu.Elf;
using Xunit;

namespace ActorVmm.Cpu.Tests.Elf;

public sealed class ElfSymbolTests
{
    private const byte Local = 0;
    private const byte Global = 1;

    /// <summary>
    /// Text 0x00400000-0x00400100 holds an unsized assembly label _start, then main
    /// (0x40 bytes), padding, and helper; data holds a sized object.
    /// </summary>
    private static ElfBuilder WithSymbols()
    {
        var builder = ElfBuilder.TwoSegments()
            .WithSymbol("_start", 0x00400000, 0, ElfSymbolType.NoType)
            .WithSymbol("main", 0x00400010, 0x40, ElfSymbolType.Function)
            .WithSymbol("helper", 0x00400060, 0x20, ElfSymbolType.Function, binding: Local)
            .WithSymbol("buffer", 0x00401010, 0x10, ElfSymbolType.Object)
            .WithSymbol("hello.c", 0, 0, (ElfSymbolType)4, binding: Local, section: 0xFFF1) // STT_FILE
            .WithSymbol(".text", 0x00400000, 0, (ElfSymbolType)3, binding: Local)       // STT_SECTION
            .WithSymbol("puts", 0, 0, ElfSymbolType.Function, section: 0);              // undefined
        return builder;
    }

    [Fact]
    public void Symtab_yields_defined_functions_objects_and_labels_only()
    {
        var image = ElfImage.Parse(WithSymbols().Build());

        Assert.Equal(
            ["_start", "main", "helper", "buffer"],
            image.Symbols.Select(s => s.Name).ToArray());
        var main = image.Symbols[1];
        Assert.Equal(new ElfSymbol("main", 0x00400010, 0x40, ElfSymbolType.Function), main);
        Assert.Equal(ElfSymbolType.Object, image.Symbols[3].Type);
    }

    [Theory]
    [InlineData(0x00400010u, "main")]
    [InlineData(0x0040002Cu, "main+0x1c")]
    [InlineData(0x0040004Fu, "main+0x3f")]
    [InlineData(0x00400064u, "helper+0x4")]
    [InlineData(0x00400000u, "_start")]
    [InlineData(0x00400008u, "_start+0x8")]
    [InlineData(0x00401014u, "buffer+0x4")]
    public void SymbolAt_names_the_symbol_containing_an_address(uint address, string expected)
    {
        var image = ElfImage.Parse(WithSymbols().Build());

        Assert.Equal(expected, image.SymbolAt(address));
    }

    [Theory]
    [InlineData(0x00400050u)] // just past main: padding, not main and not _start
    [InlineData(0x003FFFFCu)] // before everything
    [InlineData(0x00401000u)] // data segment, no symbol there
    [InlineData(0x80000180u)] // nowhere near the image
    public void SymbolAt_returns_null_where_no_symbol_honestly_applies(uint address)
    {
        var image = ElfImage.Parse(WithSymbols().Build());

        Assert.Null(image.SymbolAt(address));
    }

    [Fact]
    public void Unsized_label_does_not_reach_into_another_segment()
    {
        var image = ElfImage.Parse(ElfBuilder.TwoSegments()
            .WithSymbol("_start", 0x00400000, 0, ElfSymbolType.NoType)
            .Build());

        Assert.Equal("_start+0xfc", image.SymbolAt(0x004000FC));
        Assert.Null(image.SymbolAt(0x00401000));
    }

    [Fact]
    public void A_function_beats_a_label_or_object_at_the_same_place_and_globals_beat_locals()
    {
        var image = ElfImage.Parse(ElfBuilder.TwoSegments()
            .WithSymbol("_ftext", 0x00400000, 0, ElfSymbolType.NoType)
            .WithSymbol("table", 0x00400000, 0x100, ElfSymbolType.Object)
            .WithSymbol("local_alias", 0x00400000, 0x20, ElfSymbolType.Function, binding: Local)
            .WithSymbol("entry", 0x00400000, 0x20, ElfSymbolType.Function, binding: Global)
            .Build());

        Assert.Equal("entry+0x4", image.SymbolAt(0x00400004));
        Assert.Equal("table+0x40", image.SymbolAt(0x00400040));
    }

    [Fact]
    public void Stripped_image_has_no_symbols()
    {
        var image = ElfImage.Parse(ElfBuilder.TwoSegments().Build());

        Assert.Empty(image.Symbols);
        Assert.Null(image.SymbolAt(0x00400010));
    }

    [Fact]
    public void Section_table_outside_the_file_loses_symbols_not_the_program()
    {
        var builder = WithSymbols();
        var file = builder.Build();
        ElfBuilder.U32(file, 32, 0x7FFFFF00); // e_shoff

        var image = ElfImage.Parse(file);

        Assert.Empty(image.Symbols);
        Assert.Equal(2, image.Segments.Count);
    }

    [Fact]
    public void Wrong_section_entry_size_loses_symbols_not_the_program()
    {
        var file = WithSymbols().Build();
        ElfBuilder.U16(file, 46, 64); // e_shentsize

        Assert.Empty(ElfImage.Parse(file).Symbols);
    }

    [Fact]
    public void Symtab_linked_to_a_missing_string_table_loses_symbols_not_the_program()
    {
        var builder = WithSymbols();
        var file = builder.Build();
        ElfBuilder.U32(file, builder.SectionHeaderOffset + 40 + 24, 99); // .symtab sh_link

        Assert.Empty(ElfImage.Parse(file).Symbols);
    }

    [Fact]
    public void Symbol_name_offset_past_the_string_table_skips_that_symbol_only()
    {
        var builder = WithSymbols();
        var file = builder.Build();
        ElfBuilder.U32(file, builder.SymtabOffset + 16 * 2, 0xFFFF); // main's st_name

        var names = ElfImage.Parse(file).Symbols.Select(s => s.Name).ToArray();

        Assert.Equal(["_start", "helper", "buffer"], names);
    }
}
