using System.Buffers.Binary;
using System.Text;
using ActorVmm.Cpu.Elf;

namespace ActorVmm.Cpu.Tests.Elf;

/// <summary>
/// Writes small ELF32 files for the tests, so that every refusal can be provoked precisely
/// without the cross compiler. Fields are public and mutable on purpose: a test breaks
/// exactly the one thing it is about.
/// </summary>
internal sealed class ElfBuilder
{
    public const uint PtLoad = 1;
    public const uint PtInterp = 3;
    public const uint PtNote = 4;

    public byte Class = 1;
    public byte Data = 1;
    public byte IdentVersion = 1;
    public ushort Type = 2;
    public ushort Machine = 8;
    public uint Version = 1;
    public uint Entry;
    public uint Flags = 0x70001001; // noreorder, o32, mips32r2: what GCC writes for the guests
    public ushort EhSize = 52;
    public ushort PhEntSize = 32;
    public uint? PhOffOverride;
    public ushort? PhNumOverride;

    public List<ProgramHeader> ProgramHeaders { get; } = [];

    public List<Symbol> Symbols { get; } = [];

    /// <summary>Offsets inside the last built file, for tests that corrupt it afterwards.</summary>
    public int SectionHeaderOffset { get; private set; }

    public int SymtabOffset { get; private set; }

    public sealed class ProgramHeader
    {
        public uint Type = PtLoad;
        public uint? Offset;
        public uint VAddr;
        public uint PAddr;
        public uint? FileSize;
        public uint MemSize;
        public ElfSegmentFlags Flags = ElfSegmentFlags.Read;
        public uint Align = 0x1000;
        public byte[] Bytes = [];
    }

    public sealed record Symbol(string Name, uint Value, uint Size, byte Type, byte Binding = 1, ushort Section = 1);

    /// <summary>
    /// The shape user.ld produces: text R-X at 0x00400000 and data RW- with bss on the next
    /// page. Physical addresses differ from virtual ones so addressing mistakes show.
    /// </summary>
    public static ElfBuilder TwoSegments()
    {
        var builder = new ElfBuilder { Entry = 0x00400010 };
        builder.Load(0x00400000, Pattern(0x100, 0x10), 0x100, ElfSegmentFlags.Read | ElfSegmentFlags.Execute, paddr: 0x00002000);
        builder.Load(0x00401000, Pattern(0x20, 0xA0), 0x80, ElfSegmentFlags.Read | ElfSegmentFlags.Write, paddr: 0x00003000);
        return builder;
    }

    public static byte[] Pattern(int length, byte seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + i);
        }

        return bytes;
    }

    public ProgramHeader Load(uint vaddr, byte[] bytes, uint memSize, ElfSegmentFlags flags, uint? paddr = null)
    {
        var header = new ProgramHeader { VAddr = vaddr, PAddr = paddr ?? vaddr, Bytes = bytes, MemSize = memSize, Flags = flags };
        ProgramHeaders.Add(header);
        return header;
    }

    public ProgramHeader Other(uint type, byte[] bytes)
    {
        var header = new ProgramHeader { Type = type, Bytes = bytes, MemSize = (uint)bytes.Length, Align = 1 };
        ProgramHeaders.Add(header);
        return header;
    }

    public ElfBuilder WithSymbol(string name, uint value, uint size, ElfSymbolType type, byte binding = 1, ushort section = 1)
    {
        Symbols.Add(new Symbol(name, value, size, (byte)type, binding, section));
        return this;
    }

    public byte[] Build()
    {
        SectionHeaderOffset = 0;
        SymtabOffset = 0;
        var file = new List<byte>(new byte[52 + ProgramHeaders.Count * 32]);
        var offsets = new uint[ProgramHeaders.Count];
        for (int i = 0; i < ProgramHeaders.Count; i++)
        {
            Align(file, 16);
            offsets[i] = (uint)file.Count;
            file.AddRange(ProgramHeaders[i].Bytes);
        }

        if (Symbols.Count > 0)
        {
            AppendSections(file);
        }

        var bytes = file.ToArray();
        var span = bytes.AsSpan();
        span[0] = 0x7F;
        span[1] = (byte)'E';
        span[2] = (byte)'L';
        span[3] = (byte)'F';
        span[4] = Class;
        span[5] = Data;
        span[6] = IdentVersion;
        U16(span, 16, Type);
        U16(span, 18, Machine);
        U32(span, 20, Version);
        U32(span, 24, Entry);
        U32(span, 28, PhOffOverride ?? 52);
        U32(span, 32, (uint)SectionHeaderOffset);
        U32(span, 36, Flags);
        U16(span, 40, EhSize);
        U16(span, 42, PhEntSize);
        U16(span, 44, PhNumOverride ?? (ushort)ProgramHeaders.Count);
        U16(span, 46, (ushort)(Symbols.Count > 0 ? 40 : 0));
        U16(span, 48, (ushort)(Symbols.Count > 0 ? 4 : 0));
        U16(span, 50, (ushort)(Symbols.Count > 0 ? 3 : 0));

        for (int i = 0; i < ProgramHeaders.Count; i++)
        {
            var header = ProgramHeaders[i];
            var entry = span.Slice(52 + i * 32, 32);
            U32(entry, 0, header.Type);
            U32(entry, 4, header.Offset ?? offsets[i]);
            U32(entry, 8, header.VAddr);
            U32(entry, 12, header.PAddr);
            U32(entry, 16, header.FileSize ?? (uint)header.Bytes.Length);
            U32(entry, 20, header.MemSize);
            U32(entry, 24, (uint)header.Flags);
            U32(entry, 28, header.Align);
        }

        return bytes;
    }

    /// <summary>Sections: [0] null, [1] .symtab, [2] .strtab, [3] .shstrtab.</summary>
    private void AppendSections(List<byte> file)
    {
        var strtab = new List<byte> { 0 };
        var symtab = new List<byte>(new byte[16]);
        foreach (var symbol in Symbols)
        {
            var entry = new byte[16];
            U32(entry, 0, (uint)strtab.Count);
            U32(entry, 4, symbol.Value);
            U32(entry, 8, symbol.Size);
            entry[12] = (byte)((symbol.Binding << 4) | symbol.Type);
            U16(entry, 14, symbol.Section);
            symtab.AddRange(entry);
            strtab.AddRange(Encoding.UTF8.GetBytes(symbol.Name));
            strtab.Add(0);
        }

        byte[] shstrtab = Encoding.ASCII.GetBytes("\0.symtab\0.strtab\0.shstrtab\0");

        Align(file, 4);
        SymtabOffset = file.Count;
        file.AddRange(symtab);
        int strtabOffset = file.Count;
        file.AddRange(strtab);
        int shstrtabOffset = file.Count;
        file.AddRange(shstrtab);
        Align(file, 4);
        SectionHeaderOffset = file.Count;

        var headers = new byte[4 * 40];
        Section(headers.AsSpan(40, 40), name: 1, type: 2, (uint)SymtabOffset, (uint)symtab.Count, link: 2, entsize: 16);
        Section(headers.AsSpan(80, 40), name: 9, type: 3, (uint)strtabOffset, (uint)strtab.Count, link: 0, entsize: 0);
        Section(headers.AsSpan(120, 40), name: 17, type: 3, (uint)shstrtabOffset, (uint)shstrtab.Length, link: 0, entsize: 0);
        file.AddRange(headers);
    }

    private static void Section(Span<byte> header, uint name, uint type, uint offset, uint size, uint link, uint entsize)
    {
        U32(header, 0, name);
        U32(header, 4, type);
        U32(header, 16, offset);
        U32(header, 20, size);
        U32(header, 24, link);
        U32(header, 36, entsize);
    }

    private static void Align(List<byte> file, int alignment)
    {
        while (file.Count % alignment != 0)
        {
            file.Add(0);
        }
    }

    public static void U16(Span<byte> bytes, int offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(bytes[offset..], value);

    public static void U32(Span<byte> bytes, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(bytes[offset..], value);
}
