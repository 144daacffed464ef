using ActorVmm.Memory;

namespace ActorVmm.Actors.Serialization;

/// <summary>The wire form of the memory manager's values: page numbers, page facts, page images, usage.</summary>
internal static class MemoryWire
{
    public const int MappingBytes = 10;

    private const byte FreshFlag = 1;
    private const byte SharedFlag = 2;
    private const byte CopiedFlag = 4;

    public static void Mapping(this WireWriter w, GuestPageMapping m)
    {
        w.U32(m.Ppn.Value);
        w.Enum(m.Kind);
        w.U32(m.Mpn.Value);
        w.U8((byte)((m.Fresh ? FreshFlag : 0) | (m.Shared ? SharedFlag : 0) | (m.Copied ? CopiedFlag : 0)));
    }

    public static GuestPageMapping Mapping(this ref WireReader r)
    {
        var ppn = new Ppn(r.U32());
        var kind = r.Enum<GuestPageKind>();
        var mpn = new Mpn(r.U32());
        byte flags = r.U8();
        if (flags > (FreshFlag | SharedFlag | CopiedFlag))
        {
            throw r.Corrupt($"a page mapping has flags {flags}, not 0 to 7");
        }

        return new(ppn, kind, mpn, (flags & FreshFlag) != 0, (flags & SharedFlag) != 0, (flags & CopiedFlag) != 0);
    }

    public static void Remap(this WireWriter w, MemoryManagerProtocol.VmRemap m)
    {
        w.I32(m.Vm);
        w.Array(m.Mappings, static (w, p) => w.Mapping(p));
    }

    public static MemoryManagerProtocol.VmRemap Remap(this ref WireReader r) =>
        new(r.I32(), r.Array(static (ref WireReader r) => r.Mapping(), MappingBytes));

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
        w.Map(u.Vms, static (w, vm) => w.I32(vm), static (w, v) =>
        {
            w.U32(v.PagesAllocated);
            w.U32(v.GuestPages);
            w.U32(v.PeakGuestPages);
            w.U32(v.SharedPages);
            w.U32(v.PeakSharedPages);
            w.U32(v.CopyOnWriteBreaks);
            w.U32(v.Merged);
            w.U32(v.ZeroRequests);
            w.U32(v.Released);
        });
        w.U32(u.PeakGuestPages);
        w.U32(u.PeakAllocatedBetweenEpochs);
        w.U32(u.SharedPages);
        w.U32(u.PeakSharedPages);
        w.Sharing(u.Sharing);
        w.I64(u.PagesScanned);
        w.I64(u.PagesMerged);
    }

    public static MemoryUsage Usage(this ref WireReader r) => new(
        r.U32(), r.U32(), r.Map(static (ref WireReader r) => r.I32(), static (ref WireReader r) => r.U32(), 8), r.U32())
    {
        Vms = r.Map(static (ref WireReader r) => r.I32(),
            static (ref WireReader r) => new VmMemoryUsage(r.U32(), r.U32(), r.U32(), r.U32(), r.U32(), r.U32(), r.U32(), r.U32(), r.U32()), 4 + (9 * 4)),
        PeakGuestPages = r.U32(),
        PeakAllocatedBetweenEpochs = r.U32(),
        SharedPages = r.U32(),
        PeakSharedPages = r.U32(),
        Sharing = r.Sharing(),
        PagesScanned = r.I64(),
        PagesMerged = r.I64(),
    };

    public static void Sharing(this WireWriter w, PageSharingSettings s)
    {
        w.Bool(s.Images);
        w.Bool(s.Content);
        w.I32(s.ScanRate);
    }

    public static PageSharingSettings Sharing(this ref WireReader r) => new(r.Bool(), r.Bool(), r.I32());
}
