namespace ActorVmm.Monitor.Tracing;

/// <summary>Trap router → vCPU: a paravirtual guest's monitor call performed (docs/HYPERCALLS.md).</summary>
public readonly record struct MonitorCallEvent(MonitorCall Call, uint Argument, uint Result) : ITraceEvent<MonitorCallEvent>
{
    public static TraceKind Kind => TraceKind.MonitorCall;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)Call;
        r.D0 = Argument;
        r.D1 = Result;
    }

    public static MonitorCallEvent Decode(in TraceRecord r) => new((MonitorCall)r.Aux, r.D0, r.D1);

    public string Describe() => $"MonitorCall {Call}(0x{Argument:X8}) -> 0x{Result:X8}";
}
