using System.Text;
using static ActorVmm.Cpu.Elf.ElfFormat;

namespace ActorVmm.Cpu.Elf;

/// <summary>
/// A static ELF32 little-endian MIPS executable, structurally validated: once an ElfImage
/// exists, every PT_LOAD's file bytes are in the file, no segment wraps or overlaps another in
/// the virtual address space, and the file is not dynamically linked. Placing it in memory is
/// <see cref="ElfLoader"/>'s job, because that depends on which address space is used.
/// </summary>
public sealed class ElfImage
{
    private readonly SymbolIndex _symbolIndex;

    private ElfImage(string? name, uint entry, ElfFileType type, uint flags, ElfSegment[] segments, ElfSymbol[] symbols)
    {
        Name = name;
        Entry = entry;
        Type = type;
        Flags = flags;
        Segments = segments;
        Symbols = symbols;
        _symbolIndex = new SymbolIndex(symbols, segments);
    }

    /// <summary>The name given to <see cref="Parse"/>, used in the loader's messages.</summary>
    public string? Name { get; }

    /// <summary>e_entry: a virtual address.</summary>
    public uint Entry { get; }

    public ElfFileType Type { get; }

    /// <summary>e_flags: the MIPS ABI and ISA level the file was built for.</summary>
    public uint Flags { get; }

    /// <summary>The PT_LOAD segments, in program header order.</summary>
    public IReadOnlyList<ElfSegment> Segments { get; }

    /// <summary>Defined function, object and untyped symbols from .symtab; empty if stripped or unreadable.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>
    /// Names the symbol containing a virtual address as "name" or "name+0x1c", or null if
    /// none does. Meant for crash reports: a sized symbol must contain the address; an
    /// unsized code label (assembly without .size) is used only up to the next symbol and
    /// within the same segment.
    /// </summary>
    public string? SymbolAt(uint address) => _symbolIndex.Describe(address);

    public static ElfImage Parse(ReadOnlyMemory<byte> file, string? name = null)
    {
        var bytes = file.Span;
        CheckIdentification(bytes, name);

        ushort type = U16(bytes, EType);
        uint entry = U32(bytes, EEntry);
        uint phoff = U32(bytes, EPhoff);
        uint flags = U32(bytes, EFlags);
        ushort phnum = U16(bytes, EPhnum);

        var segments = ReadLoadSegments(file, phoff, phnum, name);
        ElfAddressRanges.RefuseWrapAndOverlap(segments, ElfAddressing.Virtual, name);

        // Symbols only make crash reports readable; a damaged section table must not stop a
        // program whose segments are sound from running.
        var symbols = ElfSymbolTable.Read(bytes);
        return new ElfImage(name, entry, (ElfFileType)type, flags, segments, symbols);
    }

    private static void CheckIdentification(ReadOnlySpan<byte> bytes, string? name)
    {
        if (bytes.Length == 0)
        {
            throw new ElfFormatException(name, "the file is empty, not an ELF executable");
        }

        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new ElfFormatException(name, $"not an ELF file (bad magic: starts with {HexBytes(bytes[..Math.Min(bytes.Length, 4)])}, expected 7F 45 4C 46)");
        }

        if (bytes.Length < IdentSize)
        {
            throw new ElfFormatException(name, $"truncated ELF header: the file is {bytes.Length} bytes, an ELF32 header is {HeaderSize}");
        }

        byte elfClass = bytes[EiClass];
        if (elfClass != ClassElf32)
        {
            throw new ElfFormatException(name, elfClass == ClassElf64
                ? "is a 64-bit ELF (ELFCLASS64); only 32-bit (ELFCLASS32) MIPS executables can be loaded"
                : $"has invalid ELF class {elfClass} in e_ident; expected ELFCLASS32 (1)");
        }

        byte data = bytes[EiData];
        if (data != DataLittleEndian)
        {
            throw new ElfFormatException(name, data == DataBigEndian
                ? "is big-endian (ELFDATA2MSB); this machine is little-endian and loads only ELFDATA2LSB (mipsel) files"
                : $"has invalid data encoding {data} in e_ident; expected little-endian ELFDATA2LSB (1)");
        }

        if (bytes[EiVersion] != VersionCurrent)
        {
            throw new ElfFormatException(name, $"has ELF identification version (EI_VERSION) {bytes[EiVersion]}; expected EV_CURRENT (1)");
        }

        if (bytes.Length < HeaderSize)
        {
            throw new ElfFormatException(name, $"truncated ELF header: the file is {bytes.Length} bytes, an ELF32 header is {HeaderSize}");
        }

        ushort machine = U16(bytes, EMachine);
        if (machine != MachineMips)
        {
            string? machineName = MachineName(machine);
            string found = machineName is null ? $"machine {machine}" : $"machine {machine} ({machineName})";
            throw new ElfFormatException(name, $"is for {found}, not MIPS (EM_MIPS = 8)");
        }

        ushort type = U16(bytes, EType);
        if (type != (ushort)ElfFileType.Executable)
        {
            throw new ElfFormatException(name, WrongTypeProblem(type));
        }

        uint version = U32(bytes, EVersion);
        if (version != VersionCurrent)
        {
            throw new ElfFormatException(name, $"has e_version {version}; expected EV_CURRENT (1)");
        }

        ushort ehsize = U16(bytes, EEhsize);
        if (ehsize != HeaderSize)
        {
            throw new ElfFormatException(name, $"has e_ehsize {ehsize}; an ELF32 header is {HeaderSize} bytes");
        }

        ushort phentsize = U16(bytes, EPhentsize);
        if (phentsize != ProgramHeaderSize)
        {
            throw new ElfFormatException(name, $"has e_phentsize {phentsize}; an ELF32 program header is {ProgramHeaderSize} bytes");
        }
    }

    private static ElfSegment[] ReadLoadSegments(ReadOnlyMemory<byte> file, uint phoff, ushort phnum, string? name)
    {
        var bytes = file.Span;
        if (phnum == 0)
        {
            throw new ElfFormatException(name, "has no program headers, so nothing to load (no PT_LOAD segment)");
        }

        ulong tableSize = (ulong)phnum * ProgramHeaderSize;
        if (!InFile(phoff, tableSize, bytes.Length))
        {
            throw new ElfFormatException(name,
                $"program header table [0x{phoff:X}, 0x{phoff + tableSize:X}) ({phnum} entries) lies outside the file ({bytes.Length} bytes): truncated or corrupt");
        }

        var segments = new List<ElfSegment>();
        for (int i = 0; i < phnum; i++)
        {
            var header = bytes.Slice((int)phoff + i * ProgramHeaderSize, ProgramHeaderSize);
            uint kind = U32(header, 0);
            if (kind == PtInterp)
            {
                throw new ElfFormatException(name, $"is dynamically linked (PT_INTERP{InterpreterOf(header, bytes)}); only static executables can be loaded (link with -static)");
            }

            if (kind == PtLoad)
            {
                segments.Add(ReadLoadSegment(file, header, i, name));
            }
        }

        if (segments.Count == 0)
        {
            throw new ElfFormatException(name, $"has no loadable segments: none of its {phnum} program headers is PT_LOAD");
        }

        return segments.ToArray();
    }

    private static ElfSegment ReadLoadSegment(ReadOnlyMemory<byte> file, ReadOnlySpan<byte> header, int index, string? name)
    {
        uint offset = U32(header, 4);
        uint vaddr = U32(header, 8);
        uint paddr = U32(header, 12);
        uint filesz = U32(header, 16);
        uint memsz = U32(header, 20);
        uint flags = U32(header, 24);
        uint align = U32(header, 28);

        if (filesz > memsz)
        {
            throw new ElfFormatException(name, $"segment {index} (PT_LOAD) has p_filesz 0x{filesz:X} larger than p_memsz 0x{memsz:X}");
        }

        if (!InFile(offset, filesz, file.Length))
        {
            throw new ElfFormatException(name,
                $"segment {index} (PT_LOAD) file bytes [0x{offset:X}, 0x{(ulong)offset + filesz:X}) lie outside the file ({file.Length} bytes): the segment is truncated");
        }

        var permissions = (ElfSegmentFlags)(flags & (uint)(ElfSegmentFlags.Read | ElfSegmentFlags.Write | ElfSegmentFlags.Execute));
        return new ElfSegment(index, vaddr, paddr, offset, filesz, memsz, permissions, align, file.Slice((int)offset, (int)filesz));
    }

    /// <summary>" requests /lib/ld.so.1" when the interpreter path is readable, else nothing: it only decorates the refusal.</summary>
    private static string InterpreterOf(ReadOnlySpan<byte> header, ReadOnlySpan<byte> bytes)
    {
        uint offset = U32(header, 4);
        uint size = U32(header, 16);
        if (size == 0 || size > 4096 || !InFile(offset, size, bytes.Length))
        {
            return "";
        }

        var path = bytes.Slice((int)offset, (int)size);
        int nul = path.IndexOf((byte)0);
        path = nul >= 0 ? path[..nul] : path;
        foreach (byte b in path)
        {
            if (b < 0x20 || b > 0x7E)
            {
                return "";
            }
        }

        return path.IsEmpty ? "" : $" requests {Encoding.ASCII.GetString(path)}";
    }

    private static string HexBytes(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
