using Akka.Actor;
using static ActorVmm.Actors.ConsoleSinkProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="ConsoleSinkProtocol"/>: every VM's console on its way to the node that shows it.</summary>
public sealed class ConsoleSinkSerializer : ProtocolSerializer
{
    public const int Id = 4107;

    public ConsoleSinkSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(ConsoleSinkProtocol))
    {
        Add<ConsoleOpened>("O", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Name);
        }, static (ref WireReader r) => new ConsoleOpened(r.I32(), r.String()));
        Add<ConsoleOutput>("W", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Node);
            w.I64(m.Offset);
            w.Bytes(m.Bytes);
        }, static (ref WireReader r) => new ConsoleOutput(r.I32(), r.String(), r.I64(), r.Bytes()));
        Add<ConsoleClosed>("C", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I64(m.Length);
        }, static (ref WireReader r) => new ConsoleClosed(r.I32(), r.I64()));
        Add<GetConsoles>("G", static (w, m) => w.Int32s(m.Vms), static (ref WireReader r) => new GetConsoles(r.Int32s()));
        Add<Consoles>("A", static (w, m) => w.Map(m.ByVm, static (w, vm) => w.I32(vm), static (w, text) => w.String(text)),
            static (ref WireReader r) => new Consoles(r.ImmutableMap(static (ref WireReader r) => r.I32(), static (ref WireReader r) => r.String(), 8)));
    }
}
