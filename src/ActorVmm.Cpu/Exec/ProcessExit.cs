namespace ActorVmm.Cpu.Exec;

/// <summary>How an <c>exec</c> process ended.</summary>
/// <param name="Status">The exit status a shell would see: the program's status, or 128 + signal.</param>
/// <param name="Signal">The signal that killed it (host numbering, as qemu-user kills itself with it), or 0.</param>
/// <param name="Fault">The guest exception behind the signal, if any.</param>
public sealed record ProcessExit(int Status, int Signal, GuestException? Fault, string? Reason)
{
    public static ProcessExit Exited(int status) => new(status & 0xFF, 0, null, null);

    public static ProcessExit Killed(LinuxSignal signal, GuestException? fault, string reason) =>
        new(128 + (int)signal, (int)signal, fault, reason);

    public bool WasSignaled => Signal != 0;
}
