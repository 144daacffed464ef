namespace ActorVmm.Cpu.Exec;

/// <summary>Linux o32 system-call numbers the shim knows (4000 + n), and the MIPS errno values it returns.</summary>
public static class LinuxSyscall
{
    public const uint Exit = 4001;
    public const uint Read = 4003;
    public const uint Write = 4004;
    public const uint GetPid = 4020;
    public const uint Kill = 4037;
    public const uint Brk = 4045;
    public const uint ExitGroup = 4246;
    public const uint SetThreadArea = 4283;

    // MIPS Linux errno numbering differs from x86's beyond the classic ones.
    public const uint EBADF = 9;
    public const uint EFAULT = 14;
    public const uint EINVAL = 22;
    public const uint ESRCH = 3;
    public const uint ENOSYS = 89;

    /// <summary>Names of common o32 calls, so that --verbose can say what a program asked for.</summary>
    public static string Name(uint number) => number switch
    {
        Exit => "exit",
        Read => "read",
        Write => "write",
        4005 => "open",
        4006 => "close",
        4007 => "waitpid",
        GetPid => "getpid",
        4024 => "getuid",
        Kill => "kill",
        Brk => "brk",
        4054 => "ioctl",
        4090 => "mmap",
        4091 => "munmap",
        4122 => "uname",
        4146 => "writev",
        4162 => "sched_yield",
        4166 => "nanosleep",
        4194 => "rt_sigaction",
        4195 => "rt_sigprocmask",
        4210 => "mmap2",
        ExitGroup => "exit_group",
        4252 => "set_tid_address",
        SetThreadArea => "set_thread_area",
        _ => $"syscall {number}",
    };
}
