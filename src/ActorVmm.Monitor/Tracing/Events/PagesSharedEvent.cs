namespace ActorVmm.Monitor.Tracing;

/// <summary>Memory manager, between epochs: the content scan moved this many of the VM's pages to shared machine pages.</summary>
public readonly record struct PagesSharedEvent(uint Pages) : ITraceEvent<PagesSharedEvent>
{
    public static TraceKind Kind => TraceKind.PagesShared;

    public void Encode(ref TraceRecord r) => r.D0 = Pages;

    public static PagesSharedEvent Decode(in TraceRecord r) => new(r.D0);

    public string Describe() => $"PagesShared {Pages} pages merged into shared machine pages (copy-on-write)";
}
