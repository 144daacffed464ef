namespace ActorVmm.Cpu;

/// <summary>
/// A privileged (COP0 or CACHE) instruction, as the core executes it natively and as the
/// monitor emulates it on a virtual CP0. <see cref="Reserved"/>: an encoding the 24Kc does
/// not implement (Reserved Instruction).
/// </summary>
public enum PrivilegedOp : byte
{
    Mfc0,
    Mtc0,
    Tlbr,
    Tlbwi,
    Tlbwr,
    Tlbp,
    Eret,
    Wait,
    Di,
    Ei,
    Cache,
    Rdpgpr,
    Wrpgpr,
    Reserved,
}
