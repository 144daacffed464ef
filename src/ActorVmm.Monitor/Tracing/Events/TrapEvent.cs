using ActorVmm.Cpu;

namespace ActorVmm.Monitor.Tracing;

/// <summary>vCPU → trap router: the guest needs the monitor.</summary>
public readonly record struct TrapEvent(TrapKind TrapKind, ExcCode Code, uint Instruction, uint BadVAddr, bool InDelaySlot, bool IsTlbRefill, byte CoprocessorUnit)
    : ITraceEvent<TrapEvent>
{
    public static TraceKind Kind => TraceKind.Trap;

    public static TraceTiming Timing => TraceTiming.SampleStart;

    public static TrapEvent Of(TrapKind kind, in GuestException e) =>
        new(kind, e.Code, e.Instruction, e.BadVAddr, e.InDelaySlot, e.IsTlbRefill, e.CoprocessorUnit);

    /// <summary>The name the trace summary and the report give it ("mtc0", "TLB miss", "syscall").</summary>
    public string Name => TrapNames.Of(TrapKind, Code, IsTlbRefill, CoprocessorUnit, Instruction);

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)(((int)TrapKind << 8) | (int)Code);
        r.D0 = Instruction;
        r.D1 = BadVAddr;
        r.D2 = ExceptionFlags.Pack(InDelaySlot, IsTlbRefill, CoprocessorUnit);
    }

    public static TrapEvent Decode(in TraceRecord r) =>
        new((TrapKind)(r.Aux >> 8), (ExcCode)(r.Aux & 0xFF), r.D0, r.D1, ExceptionFlags.DelaySlot(r.D2), ExceptionFlags.Refill(r.D2), ExceptionFlags.Unit(r.D2));

    public string Describe() =>
        $"Trap({Name}) insn=0x{Instruction:X8}" + (IsMemoryFault(Code) ? $" badvaddr=0x{BadVAddr:X8}" : "") + (InDelaySlot ? " (delay slot)" : "");

    private static bool IsMemoryFault(ExcCode code) =>
        code is ExcCode.AdEL or ExcCode.AdES or ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod or ExcCode.Ibe or ExcCode.Dbe;
}
