using ActorVmm.Cpu;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// Trap router → vCPU: a privileged instruction emulated on the virtual CP0. MFC0/MTC0 name
/// the register and the value read or written; a TLB write names the slot and the machine
/// pages of its even and odd halves (<see cref="TraceRecord.NoPage"/> where none).
/// </summary>
public readonly record struct EmulateEvent(PrivilegedOp Op, int Register, uint Value, int TlbIndex, uint EvenMpn, uint OddMpn)
    : ITraceEvent<EmulateEvent>
{
    public static TraceKind Kind => TraceKind.Emulate;

    public static TraceTiming Timing => TraceTiming.SampleEnd;

    public static EmulateEvent Cp0Access(PrivilegedOp op, int register, uint value) => new(op, register, value, 0, TraceRecord.NoPage, TraceRecord.NoPage);

    public static EmulateEvent TlbWrite(PrivilegedOp op, int index, uint evenMpn, uint oddMpn) => new(op, 0, 0, index, evenMpn, oddMpn);

    private bool WritesTlb => Op is PrivilegedOp.Tlbwi or PrivilegedOp.Tlbwr;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)Op;
        if (WritesTlb)
        {
            r.D0 = (uint)TlbIndex;
            r.D1 = EvenMpn;
            r.D2 = OddMpn;
        }
        else
        {
            r.D0 = (uint)Register;
            r.D1 = Value;
        }
    }

    public static EmulateEvent Decode(in TraceRecord r)
    {
        var op = (PrivilegedOp)r.Aux;
        return op is PrivilegedOp.Tlbwi or PrivilegedOp.Tlbwr ? TlbWrite(op, (int)r.D0, r.D1, r.D2) : Cp0Access(op, (int)r.D0, r.D1);
    }

    public string Describe() => $"Emulate({Op})" + Op switch
    {
        PrivilegedOp.Mfc0 or PrivilegedOp.Mtc0 => $" {Cp0Register.Name(Register)} = 0x{Value:X8}",
        PrivilegedOp.Tlbwr or PrivilegedOp.Tlbwi => $" entry {TlbIndex}: MPN {TraceEvents.Page(EvenMpn)} / {TraceEvents.Page(OddMpn)}",
        _ => "",
    };
}
