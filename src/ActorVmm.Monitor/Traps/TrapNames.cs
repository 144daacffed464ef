using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>The names traps go by in the trace summary and the report ("mtc0", "TLB miss", "syscall").</summary>
public static class TrapNames
{
    public static string Of(TrapKind kind, ExcCode code, bool refill, byte coprocessorUnit, uint instruction) => kind switch
    {
        TrapKind.Interrupt => "interrupt",
        TrapKind.DeviceAccess => "device access",
        TrapKind.MonitorCall => ParavirtualAbi.TryDecode(instruction, out var call) ? $"monitor call {call}" : "monitor call",
        TrapKind.GuestTlb => refill ? "TLB miss" : GuestException.Describe(code),
        _ => code switch
        {
            ExcCode.Sys => "syscall",
            ExcCode.CpU when coprocessorUnit == 0 => PrivilegedInstruction.Decode(instruction).Mnemonic,
            _ => GuestException.Describe(code),
        },
    };
}
