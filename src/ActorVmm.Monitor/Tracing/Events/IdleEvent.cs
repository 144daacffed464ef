namespace ActorVmm.Monitor.Tracing;

/// <summary>Trap router → vCPU: WAIT emulated; the vCPU yields until its next interrupt.</summary>
public readonly record struct IdleEvent : ITraceEvent<IdleEvent>
{
    public static TraceKind Kind => TraceKind.Idle;

    public void Encode(ref TraceRecord r)
    {
    }

    public static IdleEvent Decode(in TraceRecord r) => default;

    public string Describe() => "Idle: WAIT emulated; the vCPU yields until its next interrupt";
}
