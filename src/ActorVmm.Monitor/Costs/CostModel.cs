using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// Simulated cycles per guest instruction and per monitor action. Defaults are set in the
/// reference configuration (hocon/actorvmm-reference.conf), where their reasoning is given.
/// </summary>
public sealed record CostModel
{
    public long GuestInstruction { get; init; } = 1;
    public long TrapEntryExit { get; init; } = 60;
    public long Reflection { get; init; } = 120;
    public long Mfc0 { get; init; } = 25;
    public long Mtc0 { get; init; } = 35;
    public long Tlbp { get; init; } = 60;
    public long Tlbr { get; init; } = 40;
    public long TlbWrite { get; init; } = 70;
    public long Eret { get; init; } = 50;
    public long Wait { get; init; } = 40;
    public long InterruptEnable { get; init; } = 25;
    public long Cache { get; init; } = 20;
    public long TlbWriteInterception { get; init; } = 90;
    public long L2TlbRefill { get; init; } = 19;
    public long MpnAllocation { get; init; } = 400;
    public long MachineSwitch { get; init; } = 600;
    public long TlbFlush { get; init; } = 130;
    public long DeviceEmulation { get; init; } = 150;
    public long MonitorCall { get; init; } = 25;
    public long SpecialPageSync { get; init; } = 10;
    public long CopyOnWrite { get; init; } = 500;
    public long Migration { get; init; } = 20000;
    public long MigrationPerPage { get; init; } = 200;

    public static CostModel Default { get; } = new();

    /// <summary>A monitor call's cost, trap entry and exit and TLB-write interception excluded.</summary>
    public long MonitorCallOf(MonitorCall call) => call == Monitor.MonitorCall.RefillReturn ? MonitorCall + TlbWrite + Eret : MonitorCall;

    /// <summary>
    /// What a trap costs the vCPU when it applies <paramref name="decision"/>: trap entry and
    /// exit plus the decision's own work, as <see cref="VirtualizedCpu.Apply"/> charges it (a
    /// fresh machine page's allocation is charged apart, as the mapping arrives).
    /// </summary>
    public long CyclesOf(TrapDecision decision) => TrapEntryExit + decision switch
    {
        Emulated { TlbWrite: not null } e => EmulationOf(e.Op) + TlbWriteInterception,
        Emulated e => EmulationOf(e.Op),
        Reflected => Reflection,
        Returned => Eret,
        Idled => Wait,
        DeviceDone => DeviceEmulation,
        MonitorCallDone { TlbWrite: not null } m => MonitorCallOf(m.Call) + TlbWriteInterception,
        MonitorCallDone m => MonitorCallOf(m.Call),
        _ => 0,
    };

    /// <summary>The emulation cost of one privileged instruction, trap entry and exit excluded.</summary>
    public long EmulationOf(PrivilegedOp op) => op switch
    {
        PrivilegedOp.Mfc0 or PrivilegedOp.Rdpgpr => Mfc0,
        PrivilegedOp.Mtc0 or PrivilegedOp.Wrpgpr => Mtc0,
        PrivilegedOp.Tlbp => Tlbp,
        PrivilegedOp.Tlbr => Tlbr,
        PrivilegedOp.Tlbwi or PrivilegedOp.Tlbwr => TlbWrite,
        PrivilegedOp.Eret => Eret,
        PrivilegedOp.Wait => Wait,
        PrivilegedOp.Di or PrivilegedOp.Ei => InterruptEnable,
        PrivilegedOp.Cache => Cache,
        _ => Mtc0,
    };
}
