namespace ActorVmm.Monitor.Tracing;

/// <summary>A VM booted: its vCPU starts at the kernel's entry point.</summary>
public readonly record struct VmStartedEvent(uint Entry) : ITraceEvent<VmStartedEvent>
{
    public static TraceKind Kind => TraceKind.VmStarted;

    public void Encode(ref TraceRecord r) => r.D0 = Entry;

    public static VmStartedEvent Decode(in TraceRecord r) => new(r.D0);

    public string Describe() => $"VmStarted at 0x{Entry:X8}";
}
