using System.Text;
using static ActorVmm.Cpu.Elf.ElfFormat;

namespace ActorVmm.Cpu.Elf;

/// <summary>
/// Reads .symtab through the section header table. Every inconsistency yields "no symbols"
/// rather than an error: symbols are a convenience, and a stripped or oddly linked program
/// must still load.
/// </summary>
internal static class ElfSymbolTable
{
    // Section header field offsets.
    private const int ShType = 4;
    private const int ShOffset = 16;
    private const int ShSize = 20;
    private const int ShLink = 24;
    private const int ShEntsize = 36;

    private const ushort ShnUndef = 0;

    public static ElfSymbol[] Read(ReadOnlySpan<byte> file)
    {
        uint shoff = U32(file, EShoff);
        ushort shentsize = U16(file, EShentsize);
        ushort shnum = U16(file, EShnum);
        if (shoff == 0 || shnum == 0 || shentsize != SectionHeaderSize || !InFile(shoff, (ulong)shnum * SectionHeaderSize, file.Length))
        {
            return [];
        }

        var sections = file.Slice((int)shoff, shnum * SectionHeaderSize);
        for (int i = 0; i < shnum; i++)
        {
            var section = sections.Slice(i * SectionHeaderSize, SectionHeaderSize);
            if (U32(section, ShType) == ShtSymtab)
            {
                // A static executable has at most one .symtab.
                return ReadSymtab(file, sections, section, shnum);
            }
        }

        return [];
    }

    private static ElfSymbol[] ReadSymtab(ReadOnlySpan<byte> file, ReadOnlySpan<byte> sections, ReadOnlySpan<byte> symtab, ushort shnum)
    {
        uint offset = U32(symtab, ShOffset);
        uint size = U32(symtab, ShSize);
        uint link = U32(symtab, ShLink);
        if (U32(symtab, ShEntsize) != SymbolSize || link >= shnum || !InFile(offset, size, file.Length))
        {
            return [];
        }

        var strtabHeader = sections.Slice((int)link * SectionHeaderSize, SectionHeaderSize);
        uint strOffset = U32(strtabHeader, ShOffset);
        uint strSize = U32(strtabHeader, ShSize);
        if (U32(strtabHeader, ShType) != ShtStrtab || !InFile(strOffset, strSize, file.Length))
        {
            return [];
        }

        var strings = file.Slice((int)strOffset, (int)strSize);
        var entries = file.Slice((int)offset, (int)size);
        int count = entries.Length / SymbolSize;
        var symbols = new List<ElfSymbol>();
        // Entry 0 is the reserved null symbol.
        for (int i = 1; i < count; i++)
        {
            var entry = entries.Slice(i * SymbolSize, SymbolSize);
            uint nameOffset = U32(entry, 0);
            uint value = U32(entry, 4);
            uint symbolSize = U32(entry, 8);
            int kind = entry[12] & 0xF;
            ushort sectionIndex = U16(entry, 14);
            if (kind > (int)ElfSymbolType.Function || sectionIndex == ShnUndef || nameOffset >= (uint)strings.Length)
            {
                continue;
            }

            var name = strings[(int)nameOffset..];
            int nul = name.IndexOf((byte)0);
            if (nul <= 0)
            {
                continue;
            }

            symbols.Add(new ElfSymbol(Encoding.UTF8.GetString(name[..nul]), value, symbolSize, (ElfSymbolType)kind));
        }

        return symbols.ToArray();
    }
}
