using ActorVmm.Memory;

namespace ActorVmm.Actors.Serialization;

/// <summary>The wire form of the memory manager's values: page numbers, page facts, page images, usage.</summary>
internal static class MemoryWire
{
    public const int MappingBytes = 10;

    public static void Mapping(this WireWriter w, GuestPageMapping m)
    {
        w.U32(m.Ppn.Value);
        w.Enum(m.Kind);
        w.U32(m.Mpn.Value);
        w.Bool(m.Fresh);
    }

    public static GuestPageMapping Mapping(this ref WireReader r) => new(new Ppn(r.U32()), r.Enum<GuestPageKind>(), new Mpn(r.U32()), r.Bool());

    public static void Page(this WireWriter w, GuestPageImage p)
    {
        w.U32(p.Ppn.Value);
        w.Bytes(p.Bytes);
    }

    public static GuestPageImage Page(this ref WireReader r) => new(new Ppn(r.U32()), r.Bytes());

    /// <summary>Pages by VM in the usage's own order (the report lists them so).</summary>
    public static void Usage(this WireWriter w, MemoryUsage u)
    {
        w.U32(u.TotalPages);
        w.U32(u.AllocatedPages);
        w.Map(u.PagesByVm, static (w, vm) => w.I32(vm), static (w, pages) => w.U32(pages));
        w.U32(u.PeakAllocatedPages);
    }

    public static MemoryUsage Usage(this ref WireReader r) => new(
        r.U32(), r.U32(), r.Map(static (ref WireReader r) => r.I32(), static (ref WireReader r) => r.U32(), 8), r.U32());
}
