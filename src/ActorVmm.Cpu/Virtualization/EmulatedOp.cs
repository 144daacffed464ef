namespace ActorVmm.Cpu.Virtualization;

/// <summary>A privileged instruction the monitor emulates on a virtual CP0.</summary>
public enum EmulatedOp : byte
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
}
