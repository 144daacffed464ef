using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>What the monitor decided to do about a trap. The vCPU applies it to its state.</summary>
public abstract record TrapDecision
{
    /// <summary>The guest TLB entry this decision writes (intercepted: its pages must be translated first), if any.</summary>
    public virtual VirtualTlbWrite? WritesTlb => null;
}

/// <summary>A privileged instruction emulated on the virtual CP0; the instruction retires.</summary>
/// <param name="GprIndex">Register written (MFC0, DI/EI, RDPGPR), or 0 for none.</param>
/// <param name="TlbWrite">For TLBWI/TLBWR: the guest's entry and its slot.</param>
public sealed record Emulated(PrivilegedOp Op, Cp0State Cp0, int GprIndex, uint GprValue, VirtualTlbWrite? TlbWrite) : TrapDecision
{
    public override VirtualTlbWrite? WritesTlb => TlbWrite;
}

/// <summary>A guest exception delivered to the guest kernel's own vector.</summary>
public sealed record Reflected(GuestException Exception, Cp0State Cp0, uint Vector) : TrapDecision;

/// <summary>The guest's ERET, performed for real: the instruction retires and execution goes on at Target.</summary>
public sealed record Returned(Cp0State Cp0, uint Target) : TrapDecision;

/// <summary>The guest executed WAIT: the instruction retires and the vCPU idles until its next interrupt.</summary>
public sealed record Idled(Cp0State Cp0) : TrapDecision;

/// <summary>A device-page access emulated; a load writes <paramref name="GprIndex"/>.</summary>
public sealed record DeviceDone(int GprIndex, uint GprValue, bool PoweredOff, int ExitStatus) : TrapDecision;

/// <summary>
/// A monitor call performed (docs/HYPERCALLS.md); the SYSCALL retires. <paramref name="Result"/>
/// goes to v0; <paramref name="Area"/> is the special page a Register call set up;
/// <paramref name="TlbWrite"/> and <paramref name="ReturnTarget"/> are a RefillReturn's TLBWR and ERET.
/// </summary>
public sealed record MonitorCallDone(MonitorCall Call, Cp0State Cp0, uint Result, VirtualTlbWrite? TlbWrite = null, uint? ReturnTarget = null, Memory.Ppn? Area = null) : TrapDecision
{
    public override VirtualTlbWrite? WritesTlb => TlbWrite;
}

/// <summary>A TLB write as the guest made it: entry and slot.</summary>
public sealed record VirtualTlbWrite(int Index, TlbEntry Entry);
