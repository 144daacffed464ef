using ActorVmm.Cpu;

namespace ActorVmm.Monitor.Tracing;

/// <summary>Trap router → vCPU: the guest's ERET performed for real, to <see cref="Target"/> in <see cref="Mode"/>.</summary>
public readonly record struct ReturnFromTrapEvent(PrivilegeMode Mode, uint Target) : ITraceEvent<ReturnFromTrapEvent>
{
    public static TraceKind Kind => TraceKind.ReturnFromTrap;

    public static TraceTiming Timing => TraceTiming.SampleEnd;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)Mode;
        r.D0 = Target;
    }

    public static ReturnFromTrapEvent Decode(in TraceRecord r) => new((PrivilegeMode)r.Aux, r.D0);

    public string Describe() => $"ReturnFromTrap to 0x{Target:X8} in {Mode} mode";
}
