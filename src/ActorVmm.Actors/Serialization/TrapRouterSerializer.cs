using Akka.Actor;
using static ActorVmm.Actors.TrapRouterProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="TrapRouterProtocol"/>: a trap and its decision.</summary>
public sealed class TrapRouterSerializer : ProtocolSerializer
{
    public const int Id = 4103;

    public TrapRouterSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(TrapRouterProtocol))
    {
        Add<Trap>("T", static (w, m) =>
        {
            w.Key(m.Vcpu);
            w.I32(m.Pcpu);
            w.Request(m.Request);
            w.I64(m.Cycle);
        }, static (ref WireReader r) => new Trap(r.Key(), r.I32(), r.Request(), r.I64()));
        Add<Decided>("D", static (w, m) =>
        {
            w.Decision(m.Decision);
            w.Array(m.Mappings, static (w, p) => w.Mapping(p));
        }, static (ref WireReader r) => new Decided(r.Decision(), r.Array(static (ref WireReader r) => r.Mapping(), MemoryWire.MappingBytes)));
        AddEmpty("CR", new CaptureRouter());
        Add<RouterCaptured>("RC", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Router(m.State);
        }, static (ref WireReader r) => new RouterCaptured(r.I32(), r.Router()));
    }
}
