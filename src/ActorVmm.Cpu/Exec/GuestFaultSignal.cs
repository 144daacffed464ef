namespace ActorVmm.Cpu.Exec;

/// <summary>
/// The signal a process gets for a CPU exception, as qemu-mipsel delivers it (the table in
/// docs/GUESTS.md was measured with qemu-mipsel -cpu 24Kc). Note that qemu sends SIGTRAP for
/// every trap and break, including GCC's divide-by-zero check, where Linux would send SIGFPE.
/// </summary>
public static class GuestFaultSignal
{
    public static LinuxSignal For(in GuestException e) => e.Code switch
    {
        ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod => LinuxSignal.SIGSEGV,
        ExcCode.AdEL or ExcCode.AdES => e.BadVAddr >= 0x80000000 ? LinuxSignal.SIGSEGV : LinuxSignal.SIGBUS,
        ExcCode.Ibe or ExcCode.Dbe => LinuxSignal.SIGBUS,
        ExcCode.Ov => LinuxSignal.SIGFPE,
        ExcCode.Tr or ExcCode.Bp => LinuxSignal.SIGTRAP,
        _ => LinuxSignal.SIGILL,
    };

    /// <summary>A MIPS Linux signal number as the host numbers it, or null if the shim does not model it.</summary>
    public static LinuxSignal? FromMips(uint signal) => signal switch
    {
        4 => LinuxSignal.SIGILL,
        5 => LinuxSignal.SIGTRAP,
        6 => LinuxSignal.SIGABRT,
        8 => LinuxSignal.SIGFPE,
        9 => LinuxSignal.SIGKILL,
        10 => LinuxSignal.SIGBUS,
        11 => LinuxSignal.SIGSEGV,
        _ => null,
    };
}
