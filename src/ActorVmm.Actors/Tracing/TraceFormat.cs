using ActorVmm.Cpu;
using ActorVmm.Cpu.Virtualization;
using ActorVmm.Memory;

namespace ActorVmm.Actors.Tracing;

/// <summary>How each kind packs its details into a record, and how to read them back in words.</summary>
public static class TraceFormat
{
    public const uint NoPage = uint.MaxValue;

    public static ushort TrapAux(TrapKind kind, ExcCode code) => (ushort)(((int)kind << 8) | (int)code);

    public static TrapKind TrapKindOf(in TraceRecord r) => (TrapKind)(r.Aux >> 8);

    public static ExcCode ExcCodeOf(in TraceRecord r) => (ExcCode)(r.Aux & 0xFF);

    public static uint TrapFlags(in GuestException e) =>
        (e.InDelaySlot ? 1u : 0) | (e.IsTlbRefill ? 2u : 0) | ((uint)e.CoprocessorUnit << 8);

    public static bool IsRefill(in TraceRecord r) => (r.D2 & 2) != 0;

    public static string Describe(in TraceRecord r) => r.Kind switch
    {
        TraceKind.Trap => $"Trap({TrapName(r)}) insn=0x{r.D0:X8}" + (IsMemoryFault(ExcCodeOf(r)) ? $" badvaddr=0x{r.D1:X8}" : "") + ((r.D2 & 1) != 0 ? " (delay slot)" : ""),
        TraceKind.Emulate => $"Emulate({(EmulatedOp)r.Aux})" + (EmulatedOp)r.Aux switch
        {
            EmulatedOp.Mfc0 or EmulatedOp.Mtc0 => $" {Cp0Register.Name((int)r.D0)} = 0x{r.D1:X8}",
            EmulatedOp.Tlbwr or EmulatedOp.Tlbwi => $" entry {r.D0}: MPN {Page(r.D1)} / {Page(r.D2)}",
            _ => "",
        },
        TraceKind.Reflect => $"Reflect({GuestException.Describe((ExcCode)r.Aux, (r.D2 & 2) != 0)}) to guest vector 0x{r.D0:X8}, EPC=0x{r.D1:X8}",
        TraceKind.ReturnFromTrap => $"ReturnFromTrap to 0x{r.D0:X8} in {(PrivilegeMode)r.Aux} mode",
        TraceKind.Idle => "Idle: WAIT emulated; the vCPU yields until its next interrupt",
        TraceKind.DeviceEmulated => r.Aux != 0 ? $"DeviceWrite [0x{r.D0:X3}] = 0x{r.D1:X8}" : $"DeviceRead [0x{r.D0:X3}] -> 0x{r.D1:X8}",
        TraceKind.HandlersRecorded => $"HandlersRecorded EBase=0x{r.D0:X8}: refill 0x{r.D1:X8}, general 0x{r.D2:X8}",
        TraceKind.TlbWriteIntercepted => $"TlbWrite[{r.Aux}] VPN2=0x{r.D0 & 0xFFFFE000:X8} ASID={r.D0 & 0xFF}: PPN {Page(r.D1)} / {Page(r.D2)}",
        TraceKind.MapRequest => $"MapRequest PPN 0x{r.D0:X} ({(r.Aux == 0 ? "TLB write" : "L2 TLB refill")})",
        TraceKind.MapReply => (GuestPageKind)r.Aux == GuestPageKind.Memory
            ? $"MapReply PPN 0x{r.D0:X} -> MPN 0x{r.D1:X}{(r.D2 != 0 ? " (allocated)" : "")}"
            : $"MapReply PPN 0x{r.D0:X}: {(GuestPageKind)r.Aux}",
        TraceKind.MemoryReleased => $"MemoryReleased: the halted VM's {r.D0} machine pages go back to the allocator",
        TraceKind.L2TlbRefill => $"L2TlbRefill VA 0x{r.D0:X8} -> MPN 0x{r.D1:X}",
        TraceKind.Resumed => $"Resumed: instruction at 0x{r.D0:X8} retired (retried access hit)",
        TraceKind.Dispatch => $"Dispatch {r.D0:N0} cycles" + (r.Aux != 0 ? " after a machine switch (TLB flushed)" : ""),
        TraceKind.Yield => $"Yield ({(YieldReasonCode)r.Aux}) after {((ulong)r.D1 << 32) | r.D0:N0} cycles",
        TraceKind.MachineSwitch => $"MachineSwitch from vm{r.D0} to vm{r.D1}",
        TraceKind.EpochStart => $"Epoch until cycle {((ulong)r.D1 << 32) | r.D0:N0}",
        TraceKind.ConsoleOutput => $"ConsoleOutput {r.D0} bytes",
        TraceKind.VmStarted => $"VmStarted at 0x{r.D0:X8}",
        TraceKind.VmPoweredOff => $"VmPoweredOff status {r.D0}",
        TraceKind.VmCrashed => "VmCrashed",
        _ => r.Kind.ToString(),
    };

    public static string TrapName(in TraceRecord r) => TrapName(TrapKindOf(r), ExcCodeOf(r), IsRefill(r), (byte)(r.D2 >> 8), r.D0);

    /// <summary>The name a trap goes by in the trace summary and the report ("mtc0", "TLB miss", "syscall").</summary>
    public static string TrapName(TrapKind kind, ExcCode code, bool refill, byte coprocessorUnit, uint instruction) => kind switch
    {
        TrapKind.Interrupt => "interrupt",
        TrapKind.DeviceAccess => "device access",
        TrapKind.GuestTlb => refill ? "TLB miss" : GuestException.Describe(code),
        _ => code switch
        {
            ExcCode.Sys => "syscall",
            ExcCode.CpU when coprocessorUnit == 0 => PrivilegedName(instruction),
            _ => GuestException.Describe(code),
        },
    };

    /// <summary>The mnemonic of a trapped privileged instruction.</summary>
    public static string PrivilegedName(uint insn)
    {
        if ((insn >> 26) == 0x2F)
        {
            return "cache";
        }

        if ((insn & (1u << 25)) != 0)
        {
            return (insn & 63) switch { 1 => "tlbr", 2 => "tlbwi", 6 => "tlbwr", 8 => "tlbp", 0x18 => "eret", 0x20 => "wait", _ => "cop0" };
        }

        return ((insn >> 21) & 31) switch { 0 => "mfc0", 4 => "mtc0", 0xB => (insn & 0x20) != 0 ? "ei" : "di", _ => "cop0" };
    }

    private static bool IsMemoryFault(ExcCode code) => code is ExcCode.AdEL or ExcCode.AdES or ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod or ExcCode.Ibe or ExcCode.Dbe;

    private static string Page(uint ppn) => ppn == NoPage ? "-" : $"0x{ppn:X}";
}

/// <summary>Why a vCPU gave its physical CPU back.</summary>
public enum YieldReasonCode : ushort
{
    QuantumEnd = 0,
    Idle = 1,
    Halted = 2,
}
