namespace ActorVmm.Cpu.Elf;

/// <summary>p_flags, with the ELF bit values so that the raw field converts directly.</summary>
[Flags]
public enum ElfSegmentFlags : uint
{
    None = 0,
    Execute = 1,
    Write = 2,
    Read = 4,
}
