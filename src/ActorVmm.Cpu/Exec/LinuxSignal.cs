namespace ActorVmm.Cpu.Exec;

/// <summary>
/// Signals a faulting program dies of, numbered as on the host: qemu-user re-raises the
/// guest's signal on itself, so the status a shell sees is 128 + the host number.
/// </summary>
public enum LinuxSignal
{
    SIGILL = 4,
    SIGTRAP = 5,
    SIGABRT = 6,
    SIGBUS = 7,
    SIGFPE = 8,
    SIGKILL = 9,
    SIGSEGV = 11,
    SIGXCPU = 24,
}
