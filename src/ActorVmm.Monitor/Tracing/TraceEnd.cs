namespace ActorVmm.Monitor.Tracing;

/// <summary>The end block of a trace file: what the recorder wrote, and whether the run was cut short.</summary>
/// <param name="Interruption">Null for a run that finished; else what stopped it (a signal).</param>
public sealed record TraceEnd(long Records, long Blocks, string? Interruption);
