namespace ActorVmm.Cpu.Elf;

/// <summary>e_type. Only <see cref="Executable"/> is ever loaded; the others exist to name what was found.</summary>
public enum ElfFileType : ushort
{
    None = 0,
    Relocatable = 1,
    Executable = 2,
    SharedObject = 3,
    Core = 4,
}
