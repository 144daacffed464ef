namespace ActorVmm.Monitor.Tracing;

/// <summary>The guest powered its VM off with <see cref="Status"/>.</summary>
public readonly record struct VmPoweredOffEvent(int Status) : ITraceEvent<VmPoweredOffEvent>
{
    public static TraceKind Kind => TraceKind.VmPoweredOff;

    public void Encode(ref TraceRecord r) => r.D0 = (uint)Status;

    public static VmPoweredOffEvent Decode(in TraceRecord r) => new((int)r.D0);

    public string Describe() => $"VmPoweredOff status {Status}";
}
