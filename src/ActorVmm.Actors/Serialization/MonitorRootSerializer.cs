using Akka.Actor;
using static ActorVmm.Actors.MonitorRootProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="MonitorRootProtocol"/>: what the VMs tell the root.</summary>
public sealed class MonitorRootSerializer : ProtocolSerializer
{
    public const int Id = 4106;

    public MonitorRootSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(MonitorRootProtocol))
    {
        Add<VmReady>("R", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Name);
            w.String(m.Node);
            w.Array(m.Vcpus, WriteHandle);
        }, static (ref WireReader r) => new VmReady(r.I32(), r.String(), r.String(), r.Array(ReadHandle, MonitorWire.VcpuKeyBytes + 1)));
        Add<VmFailed>("F", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Name);
            w.String(m.Reason);
        }, static (ref WireReader r) => new VmFailed(r.I32(), r.String(), r.String()));
        Add<VmFinished>("V", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Name);
            w.Outcome(m.Outcome);
        }, static (ref WireReader r) => new VmFinished(r.I32(), r.String(), r.Outcome()));
        Add<VmMovedIn>("M", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Name);
            w.String(m.Node);
            w.Array(m.Vcpus, WriteHandle);
            w.I32(m.Pages);
            w.I64(m.Bytes);
        }, static (ref WireReader r) => new VmMovedIn(r.I32(), r.String(), r.String(), r.Array(ReadHandle, MonitorWire.VcpuKeyBytes + 1), r.I32(), r.I64()));
        Add<MigrationFailed>("MF", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Reason);
        }, static (ref WireReader r) => new MigrationFailed(r.I32(), r.String()));
    }

    private static void WriteHandle(WireWriter w, VcpuHandle h)
    {
        w.Key(h.Key);
        w.Ref(h.Ref);
    }

    private static VcpuHandle ReadHandle(ref WireReader r) => new(r.Key(), r.RequiredRef());
}
