namespace ActorVmm.Monitor.Tracing;

/// <summary>A halted VM's machine pages went back to the allocator.</summary>
public readonly record struct MemoryReleasedEvent(uint Pages) : ITraceEvent<MemoryReleasedEvent>
{
    public static TraceKind Kind => TraceKind.MemoryReleased;

    public void Encode(ref TraceRecord r) => r.D0 = Pages;

    public static MemoryReleasedEvent Decode(in TraceRecord r) => new(r.D0);

    public string Describe() => $"MemoryReleased: the halted VM's {Pages} machine pages go back to the allocator";
}
