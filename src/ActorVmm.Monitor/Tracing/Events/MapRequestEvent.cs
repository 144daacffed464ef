namespace ActorVmm.Monitor.Tracing;

/// <summary>→ MemoryManager: what machine page backs this guest-physical page (allocating it on first use)?</summary>
public readonly record struct MapRequestEvent(uint Ppn, MapPurpose Purpose) : ITraceEvent<MapRequestEvent>
{
    public static TraceKind Kind => TraceKind.MapRequest;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)Purpose;
        r.D0 = Ppn;
    }

    public static MapRequestEvent Decode(in TraceRecord r) => new(r.D0, (MapPurpose)r.Aux);

    public string Describe() => $"MapRequest PPN 0x{Ppn:X} ({Purpose switch
    {
        MapPurpose.TlbWrite => "TLB write",
        MapPurpose.CopyOnWrite => "copy-on-write: a store to a shared page",
        _ => "L2 TLB refill",
    }})";
}

/// <summary>Why a guest page was asked of the memory manager: the trace's own note (the message does not carry it).</summary>
public enum MapPurpose : ushort
{
    TlbWrite,
    L2TlbRefill,
    CopyOnWrite,
}
