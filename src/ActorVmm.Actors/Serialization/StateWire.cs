using ActorVmm.Monitor;

namespace ActorVmm.Actors.Serialization;

/// <summary>
/// The wire form of a captured vCPU and router (the replies to CaptureVcpu and CaptureRouter,
/// which stay on their node; a moving VM's state crosses nodes as <see cref="VmStateCodec"/>'s
/// checksummed bytes inside a migration package).
/// </summary>
internal static class StateWire
{
    public static void Vcpu(this WireWriter w, VcpuState s)
    {
        w.Core(s.Core);
        w.Cp0(s.Virtual);
        w.Array(s.VirtualTlb, static (w, e) => w.Tlb(e));
        w.U32(s.Timer.Offset);
        w.U32(s.Timer.Stopped);
        w.I64(s.Timer.IdleCycles);
        w.I64(s.Loop.RetiredAtLast);
        w.I32(s.Loop.WithoutProgress);
        w.String(s.Loop.Stuck);
        w.Bool(s.ResumePending);
        w.U32(s.ResumeTarget);
        w.I64(s.L2TlbHits);
        w.Ledger(s.Ledger);
        w.ServiceState(s.Services);
        w.I64(s.ContextSwitches);
        w.U32(s.LastUserAsid);
        w.Array(s.Traps, static (w, t) =>
        {
            w.I32(t.Key);
            w.Enum(t.Kind);
            w.Exception(t.First);
            w.I64(t.Count);
        });
        w.Array(s.PageFacts, static (w, m) => w.Mapping(m));
        w.Bool(s.Dirty.Tracking);
        w.Array(s.Dirty.Pages, static (w, ppn) => w.U32(ppn));
        w.Bool(s.SpecialArea.HasValue);
        w.U32(s.SpecialArea?.Value ?? 0);
    }

    public static VcpuState Vcpu(this ref WireReader r) => new(
        r.Core(),
        r.Cp0(),
        r.Array(static (ref WireReader r) => r.Tlb(), CpuWire.TlbEntryBytes),
        new TimerState(r.U32(), r.U32(), r.I64()),
        new LoopState(r.I64(), r.I32(), r.NullableString()),
        r.Bool(),
        r.U32(),
        r.I64(),
        r.Ledger(),
        r.ServiceState(),
        r.I64(),
        r.U32(),
        r.Array(static (ref WireReader r) => new TrapCount(r.I32(), r.Enum<TrapKind>(), r.Exception(), r.I64()), 28),
        r.Array(static (ref WireReader r) => r.Mapping(), MemoryWire.MappingBytes),
        new DirtyPages(r.Bool(), r.Array(static (ref WireReader r) => r.U32(), 4)))
    {
        SpecialArea = r.Bool() ? new Memory.Ppn(r.U32()) : SkipArea(ref r),
    };

    private static Memory.Ppn? SkipArea(ref WireReader r)
    {
        r.U32();
        return null;
    }

    public static void Router(this WireWriter w, RouterState s)
    {
        w.Bytes(s.PendingInput);
        w.Bool(s.PoweredOff);
        w.I32(s.ExitStatus);
        w.I64(s.ConsoleOffset);
        w.Bytes(s.PendingOutput);
        w.U32(s.RecordedEBase);
    }

    public static RouterState Router(this ref WireReader r) => new(r.Bytes(), r.Bool(), r.I32(), r.I64(), r.Bytes(), r.U32());
}
