namespace ActorVmm.Monitor.Tracing;

/// <summary>The monitor starts an epoch: every physical CPU runs until its clock reaches <see cref="EpochEnd"/>.</summary>
public readonly record struct EpochStartEvent(long EpochEnd) : ITraceEvent<EpochStartEvent>
{
    public static TraceKind Kind => TraceKind.EpochStart;

    public void Encode(ref TraceRecord r)
    {
        r.D0 = (uint)EpochEnd;
        r.D1 = (uint)(EpochEnd >> 32);
    }

    public static EpochStartEvent Decode(in TraceRecord r) => new(TraceEvents.Wide(r.D0, r.D1));

    public string Describe() => $"Epoch until cycle {EpochEnd:N0}";
}
