using Akka.Actor;
using static ActorVmm.Actors.NodeAgentProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="NodeAgentProtocol"/>: what a node is, and the VMs arriving on it.</summary>
public sealed class NodeAgentSerializer : ProtocolSerializer
{
    public const int Id = 4108;

    public NodeAgentSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(NodeAgentProtocol))
    {
        AddEmpty("GI", new GetNodeInfo());
        Add("I", WriteInfo, ReadInfo);
        Add<MigrationPackage>("P", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.FromNode);
            GuestVmSerializer.WriteStart(w, m.Start);
            w.Bytes(m.State);
            w.I32(m.Pages);
            w.I64(m.Bytes);
        }, static (ref WireReader r) => new MigrationPackage(r.I32(), r.String(), GuestVmSerializer.ReadStart(ref r), r.Bytes(), r.I32(), r.I64()));
        Add<PackageStored>("PS", static (w, m) => w.I32(m.Vm), static (ref WireReader r) => new PackageStored(r.I32()));
        Add<TakePackage>("T", static (w, m) => w.I32(m.Vm), static (ref WireReader r) => new TakePackage(r.I32()));
        Add<NoPackage>("N", static (w, m) => w.I32(m.Vm), static (ref WireReader r) => new NoPackage(r.I32()));
        AddEmpty("X", new Shutdown());
    }

    /// <summary>Also inside <see cref="RunCoordinatorProtocol.StartScenario"/>.</summary>
    internal static void WriteInfo(WireWriter w, NodeInfo m)
    {
        w.String(m.Name);
        w.U64(m.MemoryBytes);
        w.Array(m.PhysicalCpus, static (w, p) => w.Ref(p));
        w.Ref(m.MemoryManager);
        w.Ref(m.Agent);
    }

    internal static NodeInfo ReadInfo(ref WireReader r) =>
        new(r.String(), r.U64(), r.Array(static (ref WireReader r) => r.RequiredRef(), 1), r.RequiredRef(), r.RequiredRef());
}
