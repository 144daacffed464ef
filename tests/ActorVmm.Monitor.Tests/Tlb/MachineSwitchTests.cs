using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>Disco's machine switch: the machine TLB holds the other VM's machine pages, so it is flushed, and both are charged.</summary>
public sealed class MachineSwitchTests
{
    [Fact]
    public void Switching_in_flushes_the_machine_tlb_and_charges_the_switch_and_the_flush()
    {
        using var f = new MachineTlbFixture();
        f.Shadow.Install(0x00400000, new Mpn(0x99), dirty: true, global: false, asid: 5);
        f.Shadow.Install(0x7FFF0000, new Mpn(0x9A), dirty: true, global: true, asid: 0);
        var ledger = new CycleLedger();
        var costs = CostModel.Default with { MachineSwitch = 600, TlbFlush = 130 };

        MachineSwitch.SwitchIn(f.Shadow, ledger, costs);

        Assert.Null(f.MachineEntryFor(0x00400000, 5));
        Assert.Null(f.MachineEntryFor(0x7FFF0000, 9));
        Assert.Equal((600L, 1L), (ledger.CyclesOf(Mechanism.MachineSwitch), ledger.EventsOf(Mechanism.MachineSwitch)));
        Assert.Equal((130L, 1L), (ledger.CyclesOf(Mechanism.TlbFlush), ledger.EventsOf(Mechanism.TlbFlush)));
        Assert.Equal(730, ledger.MonitorCycles);

        // The index is emptied with the TLB: installing again reuses no stale slot.
        f.Shadow.Install(0x00400000, new Mpn(0x55), dirty: false, global: false, asid: 5);
        Assert.Equal(0x55u, Cpu.EntryLoBits.Pfn(f.MachineEntryFor(0x00400000, 5)!.Value.EntryLo0));
    }
}
