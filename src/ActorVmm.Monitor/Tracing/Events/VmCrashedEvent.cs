namespace ActorVmm.Monitor.Tracing;

/// <summary>The VM was stopped: its guest cannot go on, or the simulator failed in it.</summary>
public readonly record struct VmCrashedEvent : ITraceEvent<VmCrashedEvent>
{
    public static TraceKind Kind => TraceKind.VmCrashed;

    public void Encode(ref TraceRecord r)
    {
    }

    public static VmCrashedEvent Decode(in TraceRecord r) => default;

    public string Describe() => "VmCrashed";
}
