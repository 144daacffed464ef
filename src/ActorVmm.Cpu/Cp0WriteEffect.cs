namespace ActorVmm.Cpu;

/// <summary>
/// What a CP0 write changed beyond the register itself, so that whoever owns the state
/// (the core natively, the vCPU under the monitor) can update what it derives from it.
/// </summary>
[Flags]
public enum Cp0WriteEffect : byte
{
    None = 0,
    /// <summary>KSU, EXL or ERL changed: the privilege mode or the segment map may differ.</summary>
    Mode = 1,
    /// <summary>EntryHi.ASID changed.</summary>
    Asid = 2,
    /// <summary>IE, IM, EXL, ERL or a software interrupt bit changed: an interrupt may now be deliverable.</summary>
    Interrupts = 4,
    /// <summary>Count or Compare was written: the next timer event moved.</summary>
    Timer = 8,
    /// <summary>ERL changed: kuseg switched between mapped and unmapped.</summary>
    ErrorLevel = 16,
}
