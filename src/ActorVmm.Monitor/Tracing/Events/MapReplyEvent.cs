using ActorVmm.Memory;

namespace ActorVmm.Monitor.Tracing;

/// <summary>MemoryManager →: PPN → MPN (<see cref="Fresh"/>: allocated by this request), or why not.</summary>
public readonly record struct MapReplyEvent(uint Ppn, GuestPageKind PageKind, uint Mpn, bool Fresh) : ITraceEvent<MapReplyEvent>
{
    public static TraceKind Kind => TraceKind.MapReply;

    public static MapReplyEvent Of(in GuestPageMapping m) => new(m.Ppn.Value, m.Kind, m.Mpn.Value, m.Fresh);

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)PageKind;
        r.D0 = Ppn;
        r.D1 = Mpn;
        r.D2 = Fresh ? 1u : 0;
    }

    public static MapReplyEvent Decode(in TraceRecord r) => new(r.D0, (GuestPageKind)r.Aux, r.D1, r.D2 != 0);

    public string Describe() => PageKind == GuestPageKind.Memory
        ? $"MapReply PPN 0x{Ppn:X} -> MPN 0x{Mpn:X}{(Fresh ? " (allocated)" : "")}"
        : $"MapReply PPN 0x{Ppn:X}: {PageKind}";
}
