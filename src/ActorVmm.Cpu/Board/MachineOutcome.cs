namespace ActorVmm.Cpu.Board;

/// <summary>How a run of a machine (bare, or one VM) ended.</summary>
public enum MachineOutcomeKind
{
    /// <summary>The kernel wrote SYS_POWEROFF.</summary>
    PoweredOff,

    /// <summary>Exceptions recurred without any instruction retiring: the kernel's vectors themselves fault.</summary>
    ExceptionLoop,

    /// <summary>WAIT with no interrupt that could ever wake the CPU.</summary>
    Hung,

    /// <summary>The instruction limit the caller set was reached.</summary>
    InstructionLimit,

    /// <summary>The machine itself failed: machine memory exhausted, or a simulator error.</summary>
    Crashed,
}

/// <param name="ExitStatus">The power-off status, or -1 when the machine did not power off.</param>
/// <param name="Diagnostic">What went wrong, in words, when the machine did not power off.</param>
public sealed record MachineOutcome(MachineOutcomeKind Kind, int ExitStatus, string? Diagnostic)
{
    public static MachineOutcome PowerOff(int status) => new(MachineOutcomeKind.PoweredOff, status, null);
}
