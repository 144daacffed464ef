using ActorVmm.Memory;
using Akka.Actor;
using static ActorVmm.Actors.MemoryManagerProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="MemoryManagerProtocol"/>, and of <see cref="MemoryUsage"/>, the reply to <see cref="GetUsage"/>.</summary>
public sealed class MemoryManagerSerializer : ProtocolSerializer
{
    public const int Id = 4104;

    public MemoryManagerSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(MemoryManagerProtocol))
    {
        Add<RegisterVm>("R", static (w, m) =>
        {
            w.I32(m.Vm);
            w.U32(m.MemoryBytes);
            w.Boot(m.Image);
        }, static (ref WireReader r) => new RegisterVm(r.I32(), r.U32(), r.Boot()));
        Add<VmRegistered>("RD", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I32(m.ImagePages);
        }, static (ref WireReader r) => new VmRegistered(r.I32(), r.I32()));
        Add<VmRefused>("RF", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Reason);
        }, static (ref WireReader r) => new VmRefused(r.I32(), r.String()));
        Add<TranslatePages>("TP", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Array(m.Pages, static (w, p) => w.U32(p.Value));
            w.I64(m.Correlation);
            w.Enum(m.Operation);
        }, static (ref WireReader r) => new TranslatePages(r.I32(), r.Array(static (ref WireReader r) => new Ppn(r.U32()), 4), r.I64()) { Operation = r.Enum<PageOperation>() });
        Add<PagesTranslated>("PT", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I64(m.Correlation);
            w.Array(m.Mappings, static (w, p) => w.Mapping(p));
        }, static (ref WireReader r) => new PagesTranslated(r.I32(), r.I64(), r.Array(static (ref WireReader r) => r.Mapping(), MemoryWire.MappingBytes)));
        Add<ReleaseVm>("RV", static (w, m) => w.I32(m.Vm), static (ref WireReader r) => new ReleaseVm(r.I32()));
        Add<VmReleased>("VR", static (w, m) =>
        {
            w.I32(m.Vm);
            w.U32(m.Pages);
        }, static (ref WireReader r) => new VmReleased(r.I32(), r.U32()));
        AddEmpty("GU", new GetUsage());
        Add<MemoryUsage>("MU", static (w, m) => w.Usage(m), static (ref WireReader r) => r.Usage());
        Add<EpochEnded>("EE", static (w, m) => w.I64(m.Epoch), static (ref WireReader r) => new EpochEnded(r.I64()));
        Add<ScanForSharing>("SS", static (w, m) =>
        {
            w.I32(m.Budget);
            w.Int32s(m.Vms);
        }, static (ref WireReader r) => new ScanForSharing(r.I32(), r.Int32s()));
        Add<SharingScanned>("SD", static (w, m) => w.Array(m.Remaps, static (w, x) => w.Remap(x)),
            static (ref WireReader r) => new SharingScanned(r.Array(static (ref WireReader r) => r.Remap(), 8)));
        Add<ExportVm>("EV", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Ref(m.Target);
        }, static (ref WireReader r) => new ExportVm(r.I32(), r.RequiredRef()));
        Add<VmExported>("VE", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I32(m.Pages);
            w.I64(m.Bytes);
        }, static (ref WireReader r) => new VmExported(r.I32(), r.I32(), r.I64()));
        Add<ExportFailed>("EF", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Reason);
        }, static (ref WireReader r) => new ExportFailed(r.I32(), r.String()));
        Add<ImportPages>("IP", static (w, m) =>
        {
            w.I32(m.Vm);
            w.U32(m.MemoryBytes);
            w.I64(m.Chunk);
            w.Array(m.Pages, static (w, p) => w.Page(p));
        }, static (ref WireReader r) => new ImportPages(r.I32(), r.U32(), r.I64(), r.Array(static (ref WireReader r) => r.Page(), 8)));
        Add<PagesImported>("PI", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I64(m.Chunk);
        }, static (ref WireReader r) => new PagesImported(r.I32(), r.I64()));
        Add<CopyPages>("CP", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Bool(m.All);
            w.Array(m.Pages, static (w, p) => w.U32(p.Value));
        }, static (ref WireReader r) => new CopyPages(r.I32(), r.Bool(), r.Array(static (ref WireReader r) => new Ppn(r.U32()), 4)));
        Add<PagesCopied>("PC", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Array(m.Pages, static (w, p) => w.Page(p));
        }, static (ref WireReader r) => new PagesCopied(r.I32(), r.Array(static (ref WireReader r) => r.Page(), 8)));
        Add<ImportRefused>("IR", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I64(m.Chunk);
            w.String(m.Reason);
        }, static (ref WireReader r) => new ImportRefused(r.I32(), r.I64(), r.String()));
    }
}
