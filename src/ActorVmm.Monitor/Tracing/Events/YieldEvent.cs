namespace ActorVmm.Monitor.Tracing;

/// <summary>vCPU → PhysicalCpu: the CPU is free again after <see cref="CyclesUsed"/> simulated cycles.</summary>
public readonly record struct YieldEvent(YieldReason Reason, long CyclesUsed) : ITraceEvent<YieldEvent>
{
    public static TraceKind Kind => TraceKind.Yield;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)Reason;
        r.D0 = (uint)CyclesUsed;
        r.D1 = (uint)(CyclesUsed >> 32);
    }

    public static YieldEvent Decode(in TraceRecord r) => new((YieldReason)r.Aux, TraceEvents.Wide(r.D0, r.D1));

    public string Describe() => $"Yield ({Reason}) after {CyclesUsed:N0} cycles";
}
