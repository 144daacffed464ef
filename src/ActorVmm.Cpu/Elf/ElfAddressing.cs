namespace ActorVmm.Cpu.Elf;

/// <summary>Which of a segment's two addresses says where in the memory block it goes.</summary>
public enum ElfAddressing
{
    /// <summary>
    /// p_vaddr: user programs under <c>actorvmm exec</c>, whose virtual addresses are
    /// offsets in the host block.
    /// </summary>
    Virtual,

    /// <summary>
    /// p_paddr: kernels, which are linked at ksseg virtual addresses but placed in RAM at
    /// their physical addresses (see the boot contract in docs/MACHINE.md).
    /// </summary>
    Physical,
}
