using Akka.Actor;
using static ActorVmm.Actors.GuestVmProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="GuestVmProtocol"/>.</summary>
public sealed class GuestVmSerializer : ProtocolSerializer
{
    public const int Id = 4101;

    public GuestVmSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(GuestVmProtocol))
    {
        Add("S", WriteStart, ReadStart);
        Add<PrepareMigration>("PM", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.TargetNode);
            w.Ref(m.TargetAgent);
            w.Ref(m.TargetMemory);
        }, static (ref WireReader r) => new PrepareMigration(r.I32(), r.String(), r.RequiredRef(), r.RequiredRef()));
        Add<MigrationPrepared>("MP", static (w, m) => w.I32(m.Vm), static (ref WireReader r) => new MigrationPrepared(r.I32()));
        AddEmpty("H", HandOffVm.Instance);
        Add<ConsoleOutput>("CO", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I64(m.Offset);
            w.Bytes(m.Bytes);
        }, static (ref WireReader r) => new ConsoleOutput(r.I32(), r.I64(), r.Bytes()));
        Add<PoweredOff>("PO", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I32(m.Status);
        }, static (ref WireReader r) => new PoweredOff(r.I32(), r.I32()));
        Add<Crashed>("C", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Enum(m.Kind);
            w.String(m.Diagnostic);
        }, static (ref WireReader r) => new Crashed(r.I32(), r.Enum<Cpu.Board.MachineOutcomeKind>(), r.String()));
    }

    /// <summary>Also inside a migration package (<see cref="NodeAgentProtocol.MigrationPackage"/>).</summary>
    internal static void WriteStart(WireWriter w, StartVm m)
    {
        w.Vm(m.Settings);
        w.Costs(m.Costs);
        w.I32(m.TlbEntries);
        w.Ref(m.Root);
        w.Ref(m.Console);
    }

    internal static StartVm ReadStart(ref WireReader r) => new(r.Vm(), r.Costs(), r.I32(), r.RequiredRef(), r.RequiredRef());
}
