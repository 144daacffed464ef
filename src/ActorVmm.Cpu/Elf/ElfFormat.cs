using System.Buffers.Binary;

namespace ActorVmm.Cpu.Elf;

/// <summary>
/// The ELF32 layout this loader understands (System V gABI and the MIPS psABI), kept in one
/// place so that the parser reads as a sequence of checks rather than of magic numbers.
/// </summary>
internal static class ElfFormat
{
    public const int IdentSize = 16;
    public const int HeaderSize = 52;
    public const int ProgramHeaderSize = 32;
    public const int SectionHeaderSize = 40;
    public const int SymbolSize = 16;

    public const byte ClassElf32 = 1;
    public const byte ClassElf64 = 2;
    public const byte DataLittleEndian = 1;
    public const byte DataBigEndian = 2;
    public const byte VersionCurrent = 1;
    public const ushort MachineMips = 8;

    public const uint PtLoad = 1;
    public const uint PtDynamic = 2;
    public const uint PtInterp = 3;

    public const uint ShtSymtab = 2;
    public const uint ShtStrtab = 3;

    // e_ident and ELF header field offsets.
    public const int EiClass = 4;
    public const int EiData = 5;
    public const int EiVersion = 6;
    public const int EType = 16;
    public const int EMachine = 18;
    public const int EVersion = 20;
    public const int EEntry = 24;
    public const int EPhoff = 28;
    public const int EShoff = 32;
    public const int EFlags = 36;
    public const int EEhsize = 40;
    public const int EPhentsize = 42;
    public const int EPhnum = 44;
    public const int EShentsize = 46;
    public const int EShnum = 48;

    public static ReadOnlySpan<byte> Magic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    public static ushort U16(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(offset, 2));

    public static uint U32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset, 4));

    /// <summary>True if [offset, offset + length) lies in a file of fileLength bytes; cannot overflow.</summary>
    public static bool InFile(ulong offset, ulong length, int fileLength) =>
        offset <= (ulong)fileLength && length <= (ulong)fileLength - offset;

    public static string Permissions(ElfSegmentFlags flags) => string.Concat(
        (flags & ElfSegmentFlags.Read) != 0 ? "R" : "-",
        (flags & ElfSegmentFlags.Write) != 0 ? "W" : "-",
        (flags & ElfSegmentFlags.Execute) != 0 ? "X" : "-");

    /// <summary>The e_machine values someone is likely to feed us by mistake, so the message says what the file is for.</summary>
    public static string? MachineName(ushort machine) => machine switch
    {
        0 => "EM_NONE",
        2 => "EM_SPARC",
        3 => "EM_386, x86",
        10 => "EM_MIPS_RS3_LE",
        20 => "EM_PPC, PowerPC",
        21 => "EM_PPC64, PowerPC 64",
        22 => "EM_S390",
        40 => "EM_ARM, 32-bit Arm",
        50 => "EM_IA_64",
        62 => "EM_X86_64, x86-64",
        183 => "EM_AARCH64, 64-bit Arm",
        243 => "EM_RISCV, RISC-V",
        258 => "EM_LOONGARCH",
        _ => null,
    };

    /// <summary>Why an ELF of the given e_type is not a static executable.</summary>
    public static string WrongTypeProblem(ushort type) => type switch
    {
        (ushort)ElfFileType.SharedObject => "is a shared object (ET_DYN); only static executables (ET_EXEC) can be loaded (link with -static -no-pie)",
        (ushort)ElfFileType.Relocatable => "is a relocatable object file (ET_REL); only static executables (ET_EXEC) can be loaded (link it first)",
        (ushort)ElfFileType.Core => "is a core dump (ET_CORE); only static executables (ET_EXEC) can be loaded",
        (ushort)ElfFileType.None => "has no file type (ET_NONE); only static executables (ET_EXEC) can be loaded",
        _ => $"has unknown file type e_type = 0x{type:X4}; only static executables (ET_EXEC) can be loaded",
    };
}
