using ActorVmm.Monitor.Tracing;
using ActorVmm.Actors;
using ActorVmm.Host;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// Load balancing (an idle CPU takes work from a busy one) and affinity (a vCPU stays on the
/// CPU it last ran on, because a move costs a machine switch and a cold TLB), measured in
/// simulated cycles, which do not depend on the host.
/// </summary>
public sealed class SchedulingTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    // Placed round robin, the short VMs (1, 3, 5) share CPU 0 and the long ones (2, 4, 6) CPU 1.
    private const string Uneven = """
        { name = short1, cmdline = "run=compute:2000:10" }
        { name = long2, cmdline = "run=raytrace:200:120" }
        { name = short3, cmdline = "run=compute:2000:10" }
        { name = long4, cmdline = "run=raytrace:200:120" }
        { name = short5, cmdline = "run=compute:2000:10" }
        { name = long6, cmdline = "run=raytrace:200:120" }
        """;

    [Fact]
    public void When_one_cpu_runs_dry_it_takes_work_from_the_busy_one_and_the_run_ends_sooner()
    {
        var balanced = guests.Run(Uneven, physicalCpus: 2, trace: true, extra: "scheduler.load-balancing = on");
        var unbalanced = guests.Run(Uneven, physicalCpus: 2, trace: true, extra: "scheduler.load-balancing = off");

        long Makespan(MonitorRun r) => r.Result.Epochs;
        output.WriteLine($"epochs to finish: balanced {Makespan(balanced)}, unbalanced {Makespan(unbalanced)}");
        output.WriteLine($"idle cycles of CPU 0: balanced {balanced.Result.PhysicalCpus[0].Counters.IdleCycles:N0}, unbalanced {unbalanced.Result.PhysicalCpus[0].Counters.IdleCycles:N0}");

        Assert.True(LongVmsDispatchedOn(balanced, 0) > 0, "a long VM moved to the CPU the short ones left idle");
        Assert.Equal(0, LongVmsDispatchedOn(unbalanced, 0));
        Assert.True(Makespan(balanced) < Makespan(unbalanced));
        Assert.True(balanced.Result.PhysicalCpus[0].Counters.IdleCycles < unbalanced.Result.PhysicalCpus[0].Counters.IdleCycles);

        // Where a VM runs changes nothing the guest can see.
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(unbalanced.Result.Vms[i].Console, balanced.Result.Vms[i].Console);
            Assert.Equal(unbalanced.Result.Vms[i].Statistics!.GuestInstructions, balanced.Result.Vms[i].Statistics!.GuestInstructions);
        }
    }

    [Fact]
    public void Affinity_saves_machine_switches_tlb_flushes_and_l2_refills()
    {
        const string vms = """
            { name = a, cmdline = "run=raytrace:160:120" }
            { name = b, cmdline = "run=engineering:512:2" }
            { name = c, cmdline = "run=pmake:4:6" }
            """;
        var sticky = guests.Run(vms, physicalCpus: 3, extra: "scheduler { affinity = on, load-balancing = on }");
        var roaming = guests.Run(vms, physicalCpus: 3, extra: "scheduler { affinity = off, load-balancing = on }");

        long Switches(MonitorRun r) => r.Result.PhysicalCpus.Sum(p => p.Counters.MachineSwitches);
        long L2(MonitorRun r) => r.Result.Vms.Sum(v => v.Statistics!.L2TlbHits);
        long Monitor(MonitorRun r) => r.Result.Vms.Sum(v => v.Statistics!.Ledger.Total);
        output.WriteLine($"affinity on:  {Switches(sticky):N0} machine switches, {L2(sticky):N0} L2 refills, {Monitor(sticky):N0} monitor cycles");
        output.WriteLine($"affinity off: {Switches(roaming):N0} machine switches, {L2(roaming):N0} L2 refills, {Monitor(roaming):N0} monitor cycles");

        Assert.Equal(0, Switches(sticky)); // three VMs, three CPUs: nobody ever needs to move
        Assert.True(Switches(roaming) > 10);
        Assert.True(L2(roaming) > L2(sticky), "a cold machine TLB after each move is refilled from the L2 TLB");
        Assert.True(Monitor(roaming) > Monitor(sticky));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(sticky.Result.Vms[i].Console, roaming.Result.Vms[i].Console);
        }
    }

    private static int LongVmsDispatchedOn(MonitorRun run, int pcpu) =>
        TraceReader.Open(run.TracePath!).Records
            .Count(r => r.Kind == TraceKind.Dispatch && r.Pcpu == pcpu && r.Vm % 2 == 0);
}
