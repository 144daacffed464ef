namespace ActorVmm.Cpu;

/// <summary>The outcome of one bounded run of the interpreter.</summary>
/// <param name="Retired">Instructions retired during the run.</param>
public readonly record struct RunResult(ExitKind Kind, long Retired);
