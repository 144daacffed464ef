using Akka.Actor;
using static ActorVmm.Actors.PhysicalCpuProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="PhysicalCpuProtocol"/>: an epoch and its report.</summary>
public sealed class PhysicalCpuSerializer : ProtocolSerializer
{
    public const int Id = 4105;

    public PhysicalCpuSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(PhysicalCpuProtocol))
    {
        Add<RunEpoch>("RE", static (w, m) =>
        {
            w.I64(m.EpochEnd);
            w.I64(m.Quantum);
            w.Array(m.Vcpus, static (w, a) =>
            {
                w.Slot(a.Slot);
                w.Ref(a.Vcpu);
            });
        }, static (ref WireReader r) => new RunEpoch(
            r.I64(), r.I64(), r.Array(static (ref WireReader r) => new VcpuAssignment(r.Slot(), r.RequiredRef()), MonitorWire.SlotBytes + 1)));
        Add<EpochDone>("ED", static (w, m) =>
        {
            w.I32(m.Pcpu);
            w.I64(m.Clock);
            w.Array(m.Vcpus, static (w, s) => w.Slot(s));
            w.Counters(m.Counters);
        }, static (ref WireReader r) => new EpochDone(r.I32(), r.I64(), r.Array(static (ref WireReader r) => r.Slot(), MonitorWire.SlotBytes), r.Counters()));
    }
}
