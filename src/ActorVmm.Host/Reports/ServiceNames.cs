using ActorVmm.Cpu;
using ActorVmm.Cpu.Exec;

namespace ActorVmm.Host.Reports;

/// <summary>Names for the report's service rows.</summary>
public static class ServiceNames
{
    public static string Of(Service service) => service switch
    {
        Service.TlbRefill => "TLB refill (guest handler)",
        Service.PageFault => "page fault (TLB invalid/modified)",
        Service.SystemCall => "system call (all)",
        Service.Interrupt => "timer interrupt",
        _ => "other exceptions",
    };

    /// <summary>Linux o32 names, and the guest kernel's own calls (docs/MACHINE.md).</summary>
    public static string Syscall(uint number) => number switch
    {
        6000 => "spawn()",
        6001 => "sleep()",
        6002 => "ticks()",
        _ => LinuxSyscall.Name(number) is var name && !name.StartsWith("syscall ", StringComparison.Ordinal) ? name + "()" : $"syscall {number}",
    };
}
