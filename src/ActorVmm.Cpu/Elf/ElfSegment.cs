namespace ActorVmm.Cpu.Elf;

/// <summary>
/// One PT_LOAD program header, already checked against the file: <see cref="Data"/> is
/// exactly the <see cref="FileSize"/> bytes at <see cref="FileOffset"/>.
/// </summary>
/// <param name="Index">Position in the program header table, to name the segment in messages.</param>
public sealed record ElfSegment(
    int Index,
    uint VirtualAddress,
    uint PhysicalAddress,
    uint FileOffset,
    uint FileSize,
    uint MemorySize,
    ElfSegmentFlags Flags,
    uint Alignment,
    ReadOnlyMemory<byte> Data)
{
    public bool IsReadable => (Flags & ElfSegmentFlags.Read) != 0;

    public bool IsWritable => (Flags & ElfSegmentFlags.Write) != 0;

    public bool IsExecutable => (Flags & ElfSegmentFlags.Execute) != 0;

    /// <summary>"R-X" style, as readelf prints it, for listings and messages.</summary>
    public string Permissions => ElfFormat.Permissions(Flags);
}
