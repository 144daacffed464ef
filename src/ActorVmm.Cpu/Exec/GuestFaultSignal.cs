namespace ActorVmm.Cpu.Exec;

/// <summary>
/// The signal a Linux process gets for a CPU exception, as qemu-mipsel delivers it (see
/// docs/GUESTS.md for the table this follows, measured against qemu-mipsel).
/// </summary>
public static class GuestFaultSignal
{
    public static LinuxSignal For(in GuestException e) => e.Code switch
    {
        ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod => LinuxSignal.SIGSEGV,
        ExcCode.AdEL or ExcCode.AdES => e.BadVAddr >= 0x80000000 ? LinuxSignal.SIGSEGV : LinuxSignal.SIGBUS,
        ExcCode.Ibe or ExcCode.Dbe => LinuxSignal.SIGBUS,
        ExcCode.Ov => LinuxSignal.SIGFPE,
        ExcCode.Tr or ExcCode.Bp => TrapCode(e) is 6 or 7 ? LinuxSignal.SIGFPE : LinuxSignal.SIGTRAP,
        _ => LinuxSignal.SIGILL,
    };

    // Linux reads the code field of BREAK (bits 25:16) and of trap instructions (15:6);
    // 7 is GCC's divide-by-zero check, 6 overflow.
    private static uint TrapCode(in GuestException e) =>
        e.Code == ExcCode.Bp ? (e.Instruction >> 16) & 0x3FF : (e.Instruction >> 26) == 0 ? (e.Instruction >> 6) & 0x3FF : 0;
}
