using System.Runtime.Serialization;
using ActorVmm.Cpu;
using ActorVmm.Memory;
using ActorVmm.Monitor;

namespace ActorVmm.Actors.Serialization;

/// <summary>The wire form of the monitor's values: traps and decisions, scheduling slots, counters, the cost model.</summary>
internal static class MonitorWire
{
    public const int VcpuKeyBytes = 8;

    private const byte EmulatedTag = 1;
    private const byte ReflectedTag = 2;
    private const byte ReturnedTag = 3;
    private const byte IdledTag = 4;
    private const byte DeviceDoneTag = 5;
    private const byte MonitorCallDoneTag = 6;

    public static void Key(this WireWriter w, VcpuKey k)
    {
        w.I32(k.Vm);
        w.I32(k.Vcpu);
    }

    public static VcpuKey Key(this ref WireReader r) => new(r.I32(), r.I32());

    public static void Request(this WireWriter w, TrapRequest t)
    {
        w.Enum(t.Kind);
        w.Exception(t.Exception);
        w.Cp0(t.Cp0);
        w.U32(t.RtValue);
        w.Array(t.VirtualTlb, static (w, e) => w.Tlb(e));
        w.Optional(t.Device, static (w, d) =>
        {
            w.U32(d.Offset);
            w.LoadStore(d.Instruction);
            w.U32(d.StoreValue);
        });
        w.Array(t.KnownPages, static (w, m) => w.Mapping(m));
        w.Optional(t.MonitorCall, static (w, c) =>
        {
            w.Enum(c.Call);
            w.U32(c.A0);
            w.U32(c.K0);
            w.U32(c.K1);
            // No console buffer (default) differs from an empty one: the call fails without a special page.
            w.Bool(!c.Console.IsDefault);
            if (!c.Console.IsDefault)
            {
                w.Bytes(c.Console);
            }
        });
    }

    public static TrapRequest Request(this ref WireReader r) => new(
        r.Enum<TrapKind>(), r.Exception(), r.Cp0(), r.U32(), r.Array(static (ref WireReader r) => r.Tlb(), CpuWire.TlbEntryBytes),
        r.Optional(static (ref WireReader r) => new DeviceAccess(r.U32(), r.LoadStore(), r.U32())),
        r.Array(static (ref WireReader r) => r.Mapping(), MemoryWire.MappingBytes),
        r.Optional(static (ref WireReader r) => new MonitorCallRequest(r.Enum<MonitorCall>(), r.U32(), r.U32(), r.U32(), r.Bool() ? r.Bytes() : default)));

    /// <summary>A decision as a tag for its kind, then that kind's fields.</summary>
    public static void Decision(this WireWriter w, TrapDecision d)
    {
        switch (d)
        {
            case Emulated e:
                w.U8(EmulatedTag);
                w.Enum(e.Op);
                w.Cp0(e.Cp0);
                w.I32(e.GprIndex);
                w.U32(e.GprValue);
                w.Optional(e.TlbWrite, static (w, t) =>
                {
                    w.I32(t.Index);
                    w.Tlb(t.Entry);
                });
                break;
            case Reflected f:
                w.U8(ReflectedTag);
                w.Exception(f.Exception);
                w.Cp0(f.Cp0);
                w.U32(f.Vector);
                break;
            case Returned t:
                w.U8(ReturnedTag);
                w.Cp0(t.Cp0);
                w.U32(t.Target);
                break;
            case Idled i:
                w.U8(IdledTag);
                w.Cp0(i.Cp0);
                break;
            case DeviceDone v:
                w.U8(DeviceDoneTag);
                w.I32(v.GprIndex);
                w.U32(v.GprValue);
                w.Bool(v.PoweredOff);
                w.I32(v.ExitStatus);
                break;
            case MonitorCallDone c:
                w.U8(MonitorCallDoneTag);
                w.Enum(c.Call);
                w.Cp0(c.Cp0);
                w.U32(c.Result);
                w.Optional(c.TlbWrite, static (w, t) =>
                {
                    w.I32(t.Index);
                    w.Tlb(t.Entry);
                });
                w.Bool(c.ReturnTarget.HasValue);
                w.U32(c.ReturnTarget ?? 0);
                w.Bool(c.Area.HasValue);
                w.U32(c.Area?.Value ?? 0);
                break;
            default:
                throw new SerializationException($"a trap decision of kind {d.GetType().Name} has no wire form (src/ActorVmm.Actors/Serialization/MonitorWire.cs)");
        }
    }

    public static TrapDecision Decision(this ref WireReader r)
    {
        byte tag = r.U8();
        return tag switch
        {
            EmulatedTag => new Emulated(r.Enum<PrivilegedOp>(), r.Cp0(), r.I32(), r.U32(),
                r.Optional(static (ref WireReader r) => new VirtualTlbWrite(r.I32(), r.Tlb()))),
            ReflectedTag => new Reflected(r.Exception(), r.Cp0(), r.U32()),
            ReturnedTag => new Returned(r.Cp0(), r.U32()),
            IdledTag => new Idled(r.Cp0()),
            DeviceDoneTag => new DeviceDone(r.I32(), r.U32(), r.Bool(), r.I32()),
            MonitorCallDoneTag => MonitorCallDone(ref r),
            _ => throw r.Corrupt($"a trap decision has kind tag {tag}, not 1 to 6"),
        };
    }

    private static MonitorCallDone MonitorCallDone(ref WireReader r)
    {
        var call = r.Enum<MonitorCall>();
        var cp0 = r.Cp0();
        uint result = r.U32();
        var write = r.Optional(static (ref WireReader r) => new VirtualTlbWrite(r.I32(), r.Tlb()));
        bool hasTarget = r.Bool();
        uint target = r.U32();
        bool hasArea = r.Bool();
        uint area = r.U32();
        return new MonitorCallDone(call, cp0, result, write, hasTarget ? target : null, hasArea ? new Ppn(area) : null);
    }

    public static void Ledger(this WireWriter w, LedgerSnapshot l)
    {
        w.Int64s(l.Cycles);
        w.Int64s(l.Events);
    }

    public static LedgerSnapshot Ledger(this ref WireReader r) => new(r.Int64s(), r.Int64s());

    public static void Statistics(this WireWriter w, VcpuStatistics s)
    {
        w.Key(s.Vcpu);
        w.I64(s.GuestInstructions);
        w.I64(s.KernelInstructions);
        w.I64(s.UserInstructions);
        w.I64(s.ConsumedCycles);
        w.I64(s.IdleCycles);
        w.I64(s.L2TlbHits);
        w.Ledger(s.Ledger);
        w.Map(s.Traps, static (w, name) => w.String(name), static (w, count) => w.I64(count));
        w.Services(s.Services);
        w.I64(s.ContextSwitches);
        w.Enum(s.L2TlbMode);
        w.I64(s.L2GuestRefills);
        w.I64(s.L2GuestInstructionsSaved);
        w.Bool(s.Paravirtual);
    }

    public static VcpuStatistics Statistics(this ref WireReader r) => new(
        r.Key(), r.I64(), r.I64(), r.I64(), r.I64(), r.I64(), r.I64(), r.Ledger(),
        r.ImmutableMap(static (ref WireReader r) => r.String(), static (ref WireReader r) => r.I64(), 12),
        r.Services(), r.I64())
    {
        L2TlbMode = r.Enum<L2TlbMode>(),
        L2GuestRefills = r.I64(),
        L2GuestInstructionsSaved = r.I64(),
        Paravirtual = r.Bool(),
    };

    public const int SlotBytes = VcpuKeyBytes + 1 + 8 + 4 + 8 + 8;

    public static void Slot(this WireWriter w, VcpuSlot s)
    {
        w.Key(s.Key);
        w.Enum(s.State);
        w.I64(s.WakeAt);
        w.I32(s.LastPcpu);
        w.I64(s.BusyCyclesLastEpoch);
        w.I64(s.HaltedAt);
    }

    public static VcpuSlot Slot(this ref WireReader r) => new(r.Key(), r.Enum<VcpuRunState>(), r.I64(), r.I32(), r.I64(), r.I64());

    public static void Counters(this WireWriter w, PhysicalCpuCounters c)
    {
        w.I64(c.BusyCycles);
        w.I64(c.IdleCycles);
        w.I64(c.Dispatches);
        w.I64(c.MachineSwitches);
        w.I64(c.GuestInstructions);
    }

    public static PhysicalCpuCounters Counters(this ref WireReader r) => new(r.I64(), r.I64(), r.I64(), r.I64(), r.I64());

    public static void PhysicalCpu(this WireWriter w, PhysicalCpuResult p)
    {
        w.I32(p.Id);
        w.I64(p.Clock);
        w.Counters(p.Counters);
    }

    public static PhysicalCpuResult PhysicalCpu(this ref WireReader r) => new(r.I32(), r.I64(), r.Counters());

    /// <summary>Every cost, in declaration order (a cost added to the model must be added here; the round-trip tests say so).</summary>
    public static void Costs(this WireWriter w, CostModel c)
    {
        w.I64(c.GuestInstruction);
        w.I64(c.TrapEntryExit);
        w.I64(c.Reflection);
        w.I64(c.Mfc0);
        w.I64(c.Mtc0);
        w.I64(c.Tlbp);
        w.I64(c.Tlbr);
        w.I64(c.TlbWrite);
        w.I64(c.Eret);
        w.I64(c.Wait);
        w.I64(c.InterruptEnable);
        w.I64(c.Cache);
        w.I64(c.TlbWriteInterception);
        w.I64(c.L2TlbRefill);
        w.I64(c.MpnAllocation);
        w.I64(c.MachineSwitch);
        w.I64(c.TlbFlush);
        w.I64(c.DeviceEmulation);
        w.I64(c.MonitorCall);
        w.I64(c.SpecialPageSync);
        w.I64(c.CopyOnWrite);
        w.I64(c.Migration);
        w.I64(c.MigrationPerPage);
    }

    public static CostModel Costs(this ref WireReader r) => new()
    {
        GuestInstruction = r.I64(),
        TrapEntryExit = r.I64(),
        Reflection = r.I64(),
        Mfc0 = r.I64(),
        Mtc0 = r.I64(),
        Tlbp = r.I64(),
        Tlbr = r.I64(),
        TlbWrite = r.I64(),
        Eret = r.I64(),
        Wait = r.I64(),
        InterruptEnable = r.I64(),
        Cache = r.I64(),
        TlbWriteInterception = r.I64(),
        L2TlbRefill = r.I64(),
        MpnAllocation = r.I64(),
        MachineSwitch = r.I64(),
        TlbFlush = r.I64(),
        DeviceEmulation = r.I64(),
        MonitorCall = r.I64(),
        SpecialPageSync = r.I64(),
        CopyOnWrite = r.I64(),
        Migration = r.I64(),
        MigrationPerPage = r.I64(),
    };
}
