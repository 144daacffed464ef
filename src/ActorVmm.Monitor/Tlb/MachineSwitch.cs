namespace ActorVmm.Monitor;

/// <summary>
/// Disco's machine switch: a physical CPU that last ran another vCPU saves that one's machine
/// state and restores this one's, and flushes the machine TLB, whose entries belong to the
/// other VM's machine pages. Both are charged to the vCPU being switched in.
/// </summary>
public static class MachineSwitch
{
    public static void SwitchIn(MachineTlbShadow machineTlb, CycleLedger ledger, CostModel costs)
    {
        ledger.Charge(Mechanism.MachineSwitch, costs.MachineSwitch);
        machineTlb.Flush();
        ledger.Charge(Mechanism.TlbFlush, costs.TlbFlush);
    }
}
