using ActorVmm.Cpu;
using ActorVmm.Monitor.Tracing;
using ActorVmm.Monitor;
using ActorVmm.Actors;
using ActorVmm.Host;
using Xunit;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// Guest-visible time is the guest's own instruction count, so a VM's console and its
/// sequence of traps do not depend on the run, on the other VMs, or on how many physical
/// CPUs share the work.
/// </summary>
public sealed class DeterminismTests(MonitorGuestsFixture guests) : IClassFixture<MonitorGuestsFixture>
{
    private const string Vms = """
        { name = pmake, cmdline = "run=pmake" }
        { name = raytrace, cmdline = "run=raytrace" }
        { name = demo }
        { name = spin, cmdline = "run=sleeper,compute idle=spin" }
        """;

    [Fact]
    public void Per_vm_console_and_trap_sequence_are_identical_across_runs_and_across_1_2_and_4_physical_cpus()
    {
        var reference = guests.Run(Vms, physicalCpus: 2, trace: true);
        var runs = new[] { guests.Run(Vms, physicalCpus: 2, trace: true), guests.Run(Vms, physicalCpus: 1, trace: true), guests.Run(Vms, physicalCpus: 4, trace: true) };

        var expected = GuestVisible(reference);
        foreach (var run in runs)
        {
            var actual = GuestVisible(run);
            for (int vm = 1; vm <= 4; vm++)
            {
                Assert.Equal(reference.Result.Vms[vm - 1].Console, run.Result.Vms[vm - 1].Console);
                Assert.Equal(expected[vm].Count, actual[vm].Count);
                Assert.True(expected[vm].SequenceEqual(actual[vm]), $"vm{vm}'s trap sequence differs with {run.Result.Settings.Machine.PhysicalCpus} physical CPUs");
            }
        }

        Assert.All(expected.Values, seq => Assert.True(seq.Count > 1000));
    }

    [Fact]
    public void The_same_scenario_gives_the_same_simulated_cycles_and_schedule_run_after_run()
    {
        var first = guests.Run(Vms, physicalCpus: 2);
        var second = guests.Run(Vms, physicalCpus: 2);

        Assert.Equal(first.Result.Epochs, second.Result.Epochs);
        Assert.Equal(first.Result.PhysicalCpus.Select(p => p.Counters), second.Result.PhysicalCpus.Select(p => p.Counters));
        Assert.Equal(first.Result.Vms.Select(v => v.Statistics!.ConsumedCycles), second.Result.Vms.Select(v => v.Statistics!.ConsumedCycles));
    }

    /// <summary>Per VM, every record a guest could observe the effect of, in order; machine pages excluded.</summary>
    private static Dictionary<int, List<(TraceKind, ushort, uint, uint, uint, uint)>> GuestVisible(MonitorRun run) =>
        TraceReader.Open(run.TracePath!).Records
            .Where(r => r.Kind is TraceKind.Trap or TraceKind.Emulate or TraceKind.Reflect or TraceKind.ReturnFromTrap
                or TraceKind.Idle or TraceKind.DeviceEmulated or TraceKind.TlbWriteIntercepted or TraceKind.HandlersRecorded)
            .GroupBy(r => (int)r.Vm)
            .ToDictionary(g => g.Key, g => g.Select(r => TraceEvents.Is<EmulateEvent>(r, out var em) && em.Op is PrivilegedOp.Tlbwr or PrivilegedOp.Tlbwi
                ? (r.Kind, r.Aux, r.GuestPc, (uint)em.TlbIndex, 0u, 0u) // not the machine pages, which are not the guest's to see
                : (r.Kind, r.Aux, r.GuestPc, r.D0, r.D1, r.D2)).ToList());
}
