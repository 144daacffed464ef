namespace ActorVmm.Monitor.Tracing;

/// <summary>PhysicalCpu → vCPU: run for <see cref="Budget"/> cycles; after a machine switch the machine TLB was flushed.</summary>
public readonly record struct DispatchEvent(long Budget, bool MachineSwitch) : ITraceEvent<DispatchEvent>
{
    public static TraceKind Kind => TraceKind.Dispatch;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = MachineSwitch ? (ushort)1 : (ushort)0;
        r.D0 = (uint)Budget;
        r.D1 = (uint)(Budget >> 32);
    }

    public static DispatchEvent Decode(in TraceRecord r) => new(TraceEvents.Wide(r.D0, r.D1), r.Aux != 0);

    public string Describe() => $"Dispatch {Budget:N0} cycles" + (MachineSwitch ? " after a machine switch (TLB flushed)" : "");
}
