using ActorVmm.Monitor;
using ActorVmm.Actors;
using ActorVmm.Host;
using Xunit;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// The cost model's accounting, checked against a guest whose cost can be worked out by
/// hand: guests/testkernels/costcheck.S retires eight instructions, of which MFC0 and MTC0
/// trap and are emulated, and three stores to the device page trap and are emulated. Its one
/// code page reaches the machine TLB through one L2 refill (the loader already allocated it,
/// so no MPN allocation is charged).
/// </summary>
public sealed class CostModelTests(MonitorGuestsFixture guests) : IClassFixture<MonitorGuestsFixture>
{
    [Fact]
    public void With_the_default_costs_the_simulated_cycles_are_the_hand_computed_ones()
    {
        var c = CostModel.Default;
        long expectedMonitor =
            (c.TrapEntryExit + c.Mfc0)                   // mfc0 Status
            + (c.TrapEntryExit + c.Mtc0)                 // mtc0 Status
            + (3 * (c.TrapEntryExit + c.DeviceEmulation)) // 'A', '\n', power-off
            + c.L2TlbRefill;                             // the code page
        Assert.Equal(829, expectedMonitor);              // 85 + 95 + 630 + 19 with the reference costs

        var vm = Single(guests.Run($$"""{ name = cost, kernel = "{{guests.CostCheck}}", memory = 1M }""", physicalCpus: 1));

        Assert.Equal(8, vm.Statistics!.GuestInstructions);
        Assert.Equal("A\n", vm.Console);
        Assert.Equal(expectedMonitor, vm.Statistics.Ledger.Total);
        Assert.Equal(8 + expectedMonitor, vm.Statistics.ConsumedCycles);
        Assert.Equal(c.TrapEntryExit * 5, vm.Statistics.Ledger.CyclesOf(Mechanism.TrapEntryExit));
        Assert.Equal(3 * c.DeviceEmulation, vm.Statistics.Ledger.CyclesOf(Mechanism.DeviceEmulation));
        Assert.Equal(c.Mfc0 + c.Mtc0, vm.Statistics.Ledger.CyclesOf(Mechanism.PrivilegedEmulation));
        Assert.Equal(0, vm.Statistics.Ledger.CyclesOf(Mechanism.Reflection));
        Assert.Equal(0, vm.Statistics.Ledger.CyclesOf(Mechanism.MpnAllocation));
    }

    [Fact]
    public void Costs_come_from_the_scenario_and_a_guest_instruction_can_cost_more_than_one_cycle()
    {
        const string costs = "costs { guest-instruction = 3, trap-entry-exit = 7, mfc0 = 11, mtc0 = 13, device-emulation = 17, l2-tlb-refill = 19 }";
        var vm = Single(guests.Run($$"""{ name = cost, kernel = "{{guests.CostCheck}}", memory = 1M }""", physicalCpus: 1, extra: costs));

        Assert.Equal((8 * 3) + (7 + 11) + (7 + 13) + (3 * (7 + 17)) + 19, vm.Statistics!.ConsumedCycles); // 153
    }

    [Fact]
    public void A_machine_switch_and_its_tlb_flush_are_charged_to_the_vcpu_switched_to_once()
    {
        var c = CostModel.Default;
        var run = guests.Run($$"""
            { name = first, kernel = "{{guests.CostCheck}}", memory = 1M }
            { name = second, kernel = "{{guests.CostCheck}}", memory = 1M }
            """, physicalCpus: 1);

        // The CPU ran nobody before the first VM, then switches to the second: after the flush
        // its code page needs the same single L2 refill as before.
        Assert.Equal(8 + 829, run.Result.Vms[0].Statistics!.ConsumedCycles);
        Assert.Equal(8 + 829 + c.MachineSwitch + c.TlbFlush, run.Result.Vms[1].Statistics!.ConsumedCycles);
        var cpu = Assert.Single(run.Result.PhysicalCpus);
        Assert.Equal(1, cpu.Counters.MachineSwitches);
        Assert.Equal((2 * (8 + 829)) + c.MachineSwitch + c.TlbFlush, cpu.Counters.BusyCycles);
        Assert.Equal(cpu.Clock, cpu.Counters.BusyCycles + cpu.Counters.IdleCycles);
    }

    private static Actors.VmResult Single(MonitorRun run) => Assert.Single(run.Result.Vms);
}
