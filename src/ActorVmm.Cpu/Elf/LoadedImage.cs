namespace ActorVmm.Cpu.Elf;

/// <summary>
/// The result of placing an <see cref="ElfImage"/> in memory. Addresses are in the space
/// chosen by <see cref="Addressing"/> (block offsets); <see cref="Entry"/> is always e_entry,
/// a virtual address.
/// </summary>
/// <param name="HighestAddress">
/// Exclusive end of the highest segment's memory image (bss included): where a user
/// program's brk starts and after which the boot-info block goes.
/// </param>
public sealed record LoadedImage(
    uint Entry,
    uint LowestAddress,
    uint HighestAddress,
    ElfAddressing Addressing,
    IReadOnlyList<LoadedSegment> Segments);
