using ActorVmm.Cpu;

namespace ActorVmm.Monitor.Tracing;

/// <summary>Trap router → vCPU: the exception goes to the guest kernel's own vector, with the guest's EPC.</summary>
public readonly record struct ReflectEvent(ExcCode Code, uint Vector, uint Epc, bool InDelaySlot, bool IsTlbRefill, byte CoprocessorUnit)
    : ITraceEvent<ReflectEvent>
{
    public static TraceKind Kind => TraceKind.Reflect;

    public static TraceTiming Timing => TraceTiming.SampleEnd;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)Code;
        r.D0 = Vector;
        r.D1 = Epc;
        r.D2 = ExceptionFlags.Pack(InDelaySlot, IsTlbRefill, CoprocessorUnit);
    }

    public static ReflectEvent Decode(in TraceRecord r) =>
        new((ExcCode)r.Aux, r.D0, r.D1, ExceptionFlags.DelaySlot(r.D2), ExceptionFlags.Refill(r.D2), ExceptionFlags.Unit(r.D2));

    public string Describe() => $"Reflect({GuestException.Describe(Code, IsTlbRefill)}) to guest vector 0x{Vector:X8}, EPC=0x{Epc:X8}";
}
