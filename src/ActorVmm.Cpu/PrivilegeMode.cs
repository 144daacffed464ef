namespace ActorVmm.Cpu;

/// <summary>The three operating modes of the MIPS32 PRA, in Status.KSU encoding.</summary>
public enum PrivilegeMode : byte
{
    Kernel = 0,
    Supervisor = 1,
    User = 2,
}
