namespace ActorVmm.Monitor.Tracing;

/// <summary>Trap router → vCPU: a load or store to the device page, performed on the VM's device registers.</summary>
public readonly record struct DeviceEmulatedEvent(bool Store, uint Offset, uint Value) : ITraceEvent<DeviceEmulatedEvent>
{
    public static TraceKind Kind => TraceKind.DeviceEmulated;

    public static TraceTiming Timing => TraceTiming.SampleEnd;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = Store ? (ushort)1 : (ushort)0;
        r.D0 = Offset;
        r.D1 = Value;
    }

    public static DeviceEmulatedEvent Decode(in TraceRecord r) => new(r.Aux != 0, r.D0, r.D1);

    public string Describe() => Store ? $"DeviceWrite [0x{Offset:X3}] = 0x{Value:X8}" : $"DeviceRead [0x{Offset:X3}] -> 0x{Value:X8}";
}
