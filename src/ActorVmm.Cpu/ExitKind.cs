namespace ActorVmm.Cpu;

/// <summary>Why <see cref="Mips32Core.Run"/> returned.</summary>
public enum ExitKind : byte
{
    /// <summary>The instruction budget is spent.</summary>
    BudgetExhausted,

    /// <summary>Host delivery: a guest exception, described by <see cref="Mips32Core.LastException"/>.</summary>
    Exception,

    /// <summary>Native delivery: WAIT retired; the caller advances time to the next interrupt.</summary>
    Wait,

    /// <summary>A device asked the CPU to stop (power-off), after the instruction that asked retired.</summary>
    Stopped,

    /// <summary>Native delivery: exceptions keep recurring without an instruction retiring.</summary>
    ExceptionLoop,
}
