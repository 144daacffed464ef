namespace ActorVmm.Cpu.Elf;

/// <summary>
/// Where one segment landed in the memory block: [Start, End), bss included, with the
/// permissions in the CPU's own terms so that a flat user image can be mapped from it directly.
/// </summary>
public sealed record LoadedSegment(uint Start, uint End, PagePermission Permission)
{
    public uint Size => End - Start;

    /// <summary>ELF numbers R/W/X as 4/2/1, the CPU as 1/2/4; spelled out so neither depends on the other's values.</summary>
    public static PagePermission PermissionOf(ElfSegmentFlags flags)
    {
        var permission = PagePermission.None;
        if ((flags & ElfSegmentFlags.Read) != 0)
        {
            permission |= PagePermission.Read;
        }

        if ((flags & ElfSegmentFlags.Write) != 0)
        {
            permission |= PagePermission.Write;
        }

        if ((flags & ElfSegmentFlags.Execute) != 0)
        {
            permission |= PagePermission.Execute;
        }

        return permission;
    }

    public override string ToString() => string.Concat(
        $"[0x{Start:X8}, 0x{End:X8}) ",
        (Permission & PagePermission.Read) != 0 ? "R" : "-",
        (Permission & PagePermission.Write) != 0 ? "W" : "-",
        (Permission & PagePermission.Execute) != 0 ? "X" : "-");
}
