namespace ActorVmm.Cpu;

/// <summary>How virtual addresses reach memory.</summary>
public enum AddressingMode : byte
{
    /// <summary>The MIPS32 segments and the TLB.</summary>
    Mips32,

    /// <summary>
    /// A Linux process image for <c>exec</c>: kuseg maps one-to-one onto the memory block,
    /// page by page as the loader and brk grant it; everything else faults as in a process.
    /// </summary>
    FlatUser,
}
