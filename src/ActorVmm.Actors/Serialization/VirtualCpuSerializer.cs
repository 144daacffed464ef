using ActorVmm.Monitor;
using Akka.Actor;
using static ActorVmm.Actors.VirtualCpuProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="VirtualCpuProtocol"/>, and of <see cref="VcpuStatistics"/>, the reply to <see cref="GetStatistics"/>.</summary>
public sealed class VirtualCpuSerializer : ProtocolSerializer
{
    public const int Id = 4102;

    public VirtualCpuSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(VirtualCpuProtocol))
    {
        Add<Dispatch>("D", static (w, m) =>
        {
            w.I32(m.Pcpu);
            w.I64(m.Budget);
            w.Bool(m.MachineSwitch);
            w.I64(m.Clock);
        }, static (ref WireReader r) => new Dispatch(r.I32(), r.I64(), r.Bool(), r.I64()));
        Add<Yielded>("Y", static (w, m) =>
        {
            w.Key(m.Vcpu);
            w.Enum(m.Reason);
            w.I64(m.CyclesUsed);
            w.I64(m.IdleCycles);
            w.I64(m.Instructions);
        }, static (ref WireReader r) => new Yielded(r.Key(), r.Enum<YieldReason>(), r.I64(), r.I64(), r.I64()));
        AddEmpty("GS", new GetStatistics());
        Add<VcpuStatistics>("VS", static (w, m) => w.Statistics(m), static (ref WireReader r) => r.Statistics());
        Add<RemapPages>("RP", static (w, m) => w.Array(m.Mappings, static (w, p) => w.Mapping(p)),
            static (ref WireReader r) => new RemapPages(r.Array(static (ref WireReader r) => r.Mapping(), MemoryWire.MappingBytes)));
        Add<PagesRemapped>("PR", static (w, m) => w.Key(m.Vcpu), static (ref WireReader r) => new PagesRemapped(r.Key()));
        AddEmpty("CV", new CaptureVcpu());
        Add<VcpuCaptured>("VC", static (w, m) =>
        {
            w.Key(m.Vcpu);
            w.Vcpu(m.State);
        }, static (ref WireReader r) => new VcpuCaptured(r.Key(), r.Vcpu()));
        AddEmpty("CK", new CheckpointVcpu());
        Add<VcpuCheckpointed>("VK", static (w, m) =>
        {
            w.Key(m.Vcpu);
            w.Vcpu(m.State);
            w.Bool(m.Full);
            w.Array(m.Dirty, static (w, p) => w.U32(p.Value));
        }, static (ref WireReader r) => new VcpuCheckpointed(r.Key(), r.Vcpu(), r.Bool(), r.Array(static (ref WireReader r) => new Memory.Ppn(r.U32()), 4)));
        AddEmpty("HV", new HaltVcpu());
        Add<CaptureRefused>("CR", static (w, m) =>
        {
            w.Key(m.Vcpu);
            w.String(m.Reason);
        }, static (ref WireReader r) => new CaptureRefused(r.Key(), r.String()));
    }
}
