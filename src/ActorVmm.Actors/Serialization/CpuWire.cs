using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;

namespace ActorVmm.Actors.Serialization;

/// <summary>The wire form of the CPU's values: CP0, exceptions, TLB entries, a core's registers, a boot plan.</summary>
internal static class CpuWire
{
    /// <summary>Every register of the (virtual) CP0, in declaration order, then the TLB size.</summary>
    public static void Cp0(this WireWriter w, in Cp0State c)
    {
        w.U32(c.Index);
        w.U32(c.Random);
        w.U32(c.EntryLo0);
        w.U32(c.EntryLo1);
        w.U32(c.Context);
        w.U32(c.PageMask);
        w.U32(c.Wired);
        w.U32(c.HWREna);
        w.U32(c.BadVAddr);
        w.U32(c.Count);
        w.U32(c.EntryHi);
        w.U32(c.Compare);
        w.U32(c.Status);
        w.U32(c.IntCtl);
        w.U32(c.Cause);
        w.U32(c.EPC);
        w.U32(c.EBase);
        w.U32(c.Config);
        w.U32(c.LLAddr);
        w.U32(c.ErrorEPC);
        w.I32(c.TlbSize);
    }

    public static Cp0State Cp0(this ref WireReader r) => new()
    {
        Index = r.U32(),
        Random = r.U32(),
        EntryLo0 = r.U32(),
        EntryLo1 = r.U32(),
        Context = r.U32(),
        PageMask = r.U32(),
        Wired = r.U32(),
        HWREna = r.U32(),
        BadVAddr = r.U32(),
        Count = r.U32(),
        EntryHi = r.U32(),
        Compare = r.U32(),
        Status = r.U32(),
        IntCtl = r.U32(),
        Cause = r.U32(),
        EPC = r.U32(),
        EBase = r.U32(),
        Config = r.U32(),
        LLAddr = r.U32(),
        ErrorEPC = r.U32(),
        TlbSize = r.I32(),
    };

    public static void Exception(this WireWriter w, in GuestException e)
    {
        w.Enum(e.Code);
        w.U32(e.Pc);
        w.Bool(e.InDelaySlot);
        w.U32(e.BadVAddr);
        w.U32(e.Instruction);
        w.U8(e.CoprocessorUnit);
        w.Bool(e.IsTlbRefill);
    }

    public static GuestException Exception(this ref WireReader r) =>
        new(r.Enum<ExcCode>(), r.U32(), r.Bool(), r.U32(), r.U32(), r.U8(), r.Bool());

    public const int TlbEntryBytes = 16;

    public static void Tlb(this WireWriter w, TlbEntry e)
    {
        w.U32(e.EntryHi);
        w.U32(e.PageMask);
        w.U32(e.EntryLo0);
        w.U32(e.EntryLo1);
    }

    public static TlbEntry Tlb(this ref WireReader r) => new(r.U32(), r.U32(), r.U32(), r.U32());

    public static void LoadStore(this WireWriter w, LoadStoreInstruction i)
    {
        w.Bool(i.IsStore);
        w.I32(i.Size);
        w.Bool(i.SignExtend);
        w.I32(i.Rt);
        w.I32(i.Rs);
        w.I16(i.Offset);
    }

    public static LoadStoreInstruction LoadStore(this ref WireReader r) => new(r.Bool(), r.I32(), r.Bool(), r.I32(), r.I32(), r.I16());

    public static void Core(this WireWriter w, CoreState c)
    {
        w.Array(c.Gpr, static (w, g) => w.U32(g));
        w.U32(c.Hi);
        w.U32(c.Lo);
        w.U32(c.Pc);
        w.U32(c.NextPc);
        w.Bool(c.InDelaySlot);
        w.Bool(c.LLBit);
        w.I64(c.Retired);
        w.Array(c.RetiredByMode, static (w, n) => w.I64(n));
    }

    public static CoreState Core(this ref WireReader r) => new(
        r.Array(static (ref WireReader r) => r.U32(), 4), r.U32(), r.U32(), r.U32(), r.U32(), r.Bool(), r.Bool(), r.I64(),
        r.Array(static (ref WireReader r) => r.I64(), 8));

    public static void Services(this WireWriter w, ServiceProfileSnapshot s)
    {
        w.Int64s(s.Count);
        w.Int64s(s.Instructions);
        w.Int64s(s.MonitorCycles);
        w.List(s.Syscalls, static (w, c) =>
        {
            w.U32(c.Number);
            w.I64(c.Count);
            w.I64(c.Instructions);
            w.I64(c.MonitorCycles);
        });
    }

    public static ServiceProfileSnapshot Services(this ref WireReader r) => new(
        r.Int64s(), r.Int64s(), r.Int64s(),
        r.List(static (ref WireReader r) => new SyscallProfile(r.U32(), r.I64(), r.I64(), r.I64()), 28));

    public static void ServiceState(this WireWriter w, ServiceProfileState s)
    {
        w.Services(s.Totals);
        w.List(s.Open, static (w, o) =>
        {
            w.Enum(o.Service);
            w.U32(o.Syscall);
            w.I64(o.Instructions);
            w.I64(o.MonitorCycles);
        });
    }

    public static ServiceProfileState ServiceState(this ref WireReader r) => new(
        r.Services(),
        r.List(static (ref WireReader r) => new OpenService(r.Enum<Service>(), r.U32(), r.I64(), r.I64()), 21));

    public static void Outcome(this WireWriter w, MachineOutcome o)
    {
        w.Enum(o.Kind);
        w.I32(o.ExitStatus);
        w.String(o.Diagnostic);
    }

    public static MachineOutcome Outcome(this ref WireReader r) => new(r.Enum<MachineOutcomeKind>(), r.I32(), r.NullableString());

    /// <summary>The whole plan: entry, sizes, every physical write with its bytes, the zeroed ranges and the wired entries.</summary>
    public static void Boot(this WireWriter w, BootPlan p)
    {
        w.U32(p.Entry);
        w.U32(p.MemorySize);
        w.U32(p.BootInfoVirtualAddress);
        w.U32(p.FreeStart);
        w.List(p.Writes, static (w, write) =>
        {
            w.U32(write.Address);
            w.Bytes(write.Bytes.Span);
        });
        w.List(p.Zeroes, static (w, zero) =>
        {
            w.U32(zero.Address);
            w.U32(zero.Length);
        });
        w.List(p.WiredEntries, static (w, e) => w.Tlb(e));
    }

    public static BootPlan Boot(this ref WireReader r) => new(
        r.U32(), r.U32(), r.U32(), r.U32(),
        r.List(static (ref WireReader r) => new PhysicalWrite(r.U32(), r.ByteArray()), 8),
        r.List(static (ref WireReader r) => new PhysicalRange(r.U32(), r.U32()), 8),
        r.List(static (ref WireReader r) => r.Tlb(), TlbEntryBytes));
}
