namespace ActorVmm.Monitor.Tracing;

/// <summary>The instruction an emulated ERET returned to has retired (a retried access hit).</summary>
public readonly record struct ResumedEvent(uint Pc) : ITraceEvent<ResumedEvent>
{
    public static TraceKind Kind => TraceKind.Resumed;

    public static TraceTiming Timing => TraceTiming.Sampled;

    public void Encode(ref TraceRecord r) => r.D0 = Pc;

    public static ResumedEvent Decode(in TraceRecord r) => new(r.D0);

    public string Describe() => $"Resumed: instruction at 0x{Pc:X8} retired (retried access hit)";
}
