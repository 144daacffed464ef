namespace ActorVmm.Cpu;

/// <summary>
/// A guest exception as the core detected it, before any architectural state changed:
/// what host delivery mode reports to the caller, and what native delivery vectors on.
/// </summary>
/// <param name="Pc">Address of the instruction that faulted (the delay slot itself when <paramref name="InDelaySlot"/>).</param>
/// <param name="IsTlbRefill">A TLB exception with no matching entry (refill vector when EXL = 0), as opposed to an invalid entry.</param>
/// <param name="Instruction">The faulting instruction word, or 0 when the fetch itself faulted.</param>
public readonly record struct GuestException(
    ExcCode Code,
    uint Pc,
    bool InDelaySlot,
    uint BadVAddr,
    uint Instruction,
    byte CoprocessorUnit = 0,
    bool IsTlbRefill = false)
{
    public override string ToString()
    {
        string where = InDelaySlot ? $"pc 0x{Pc:X8} (delay slot)" : $"pc 0x{Pc:X8}";
        return Code switch
        {
            ExcCode.AdEL or ExcCode.AdES or ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod =>
                $"{Describe(Code, IsTlbRefill)} at {where}, BadVAddr 0x{BadVAddr:X8}",
            ExcCode.CpU => $"{Describe(Code, false)} (CP{CoprocessorUnit}) at {where}, instruction 0x{Instruction:X8}",
            _ => $"{Describe(Code, false)} at {where}, instruction 0x{Instruction:X8}",
        };
    }

    public static string Describe(ExcCode code, bool refill = false) => code switch
    {
        ExcCode.Int => "interrupt",
        ExcCode.Mod => "TLB modified",
        ExcCode.TlbL => refill ? "TLB refill (load/fetch)" : "TLB invalid (load/fetch)",
        ExcCode.TlbS => refill ? "TLB refill (store)" : "TLB invalid (store)",
        ExcCode.AdEL => "address error (load/fetch)",
        ExcCode.AdES => "address error (store)",
        ExcCode.Ibe => "bus error (fetch)",
        ExcCode.Dbe => "bus error (data)",
        ExcCode.Sys => "system call",
        ExcCode.Bp => "breakpoint",
        ExcCode.RI => "reserved instruction",
        ExcCode.CpU => "coprocessor unusable",
        ExcCode.Ov => "integer overflow",
        ExcCode.Tr => "trap",
        _ => $"exception {(int)code}",
    };
}
