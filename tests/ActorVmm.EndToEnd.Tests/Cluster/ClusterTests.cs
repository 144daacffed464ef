using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.EndToEnd.Tests.Monitor;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Cluster;

/// <summary>
/// The monitor on an Akka.Cluster of three nodes in this process (three actor systems on
/// loopback, as Akka's own sharding specs do): each VM lives on one node, VMs move between
/// nodes at epoch boundaries, and every VM's console, instruction count and traps are those of
/// the same VM on one node; the same scenario gives the same schedule and moves twice.
/// </summary>
public sealed class ClusterTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    /// <summary>Nine VMs piled on node0, three on node1, none on node2: the balance policy must move some.</summary>
    private const string Unbalanced = """
        { name = "pmake-a",       cmdline = "run=pmake:4:8",         node = 0 }
        { name = "raytrace-a",    cmdline = "run=raytrace:120:40",   node = 0 }
        { name = "engineering-a", cmdline = "run=engineering:512:1", node = 0 }
        { name = "compute-a",     cmdline = "run=compute",           node = 0 }
        { name = "syscalls-a",    cmdline = "run=syscalls",          node = 0 }
        { name = "pmake-b",       cmdline = "run=pmake:2:4",         node = 0 }
        { name = "memory-a",      cmdline = "run=compute,memory",    node = 0 }
        { name = "sleeper-a",     cmdline = "run=compute,sleeper",   node = 0 }
        { name = "raytrace-b",    cmdline = "run=raytrace:64:24",    node = 0 }
        { name = "pmake-c",       cmdline = "run=pmake:2:4",         node = 1 }
        { name = "raytrace-c",    cmdline = "run=raytrace:64:24",    node = 1 }
        { name = "syscalls-b",    cmdline = "run=syscalls,memory",   node = 1 }
        """;

    [Fact]
    public async Task Each_vm_behaves_on_three_nodes_with_migrations_as_on_one_node()
    {
        var settings = Scenario(Unbalanced);
        var alone = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(3)).Result;

        var cluster = await RunOnThreeNodes(settings);

        foreach (var m in cluster.Migrations!)
        {
            output.WriteLine($"epoch {m.Epoch}: {m.Name} {m.From} -> {m.To}, {m.Pages} pages, {m.WallMilliseconds:F0} ms");
        }

        Assert.NotEmpty(cluster.Migrations!);
        Assert.True(cluster.AllPoweredOffCleanly);
        foreach (var (one, three) in alone.Vms.Zip(cluster.Vms))
        {
            Assert.Equal(one.Name, three.Name);
            Assert.Equal(one.Console, three.Console);
            Assert.Equal(one.Statistics!.GuestInstructions, three.Statistics!.GuestInstructions);
            Assert.Equal(one.Statistics.KernelInstructions, three.Statistics.KernelInstructions);
            Assert.Equal(one.Statistics.Traps, three.Statistics.Traps);
            Assert.Equal(one.Statistics.ContextSwitches, three.Statistics.ContextSwitches);
        }

        // Every node ran VMs, and every machine page went back to its node's allocator.
        Assert.All(cluster.Nodes!, n => Assert.NotEmpty(n.VmsHosted));
        Assert.All(cluster.Nodes!, n => Assert.Equal(0u, n.Memory.AllocatedPages));
        var moved = cluster.Vms.Where(v => v.Placements!.Count > 1).ToList();
        Assert.Equal(cluster.Migrations!.Select(m => m.Vm).Distinct().Order(), moved.Select(v => v.Id).Order());
    }

    [Fact]
    public async Task The_same_cluster_scenario_gives_the_same_schedule_and_moves_twice()
    {
        var settings = Scenario(Unbalanced);

        var first = await RunOnThreeNodes(settings);
        var second = await RunOnThreeNodes(settings);

        Assert.Equal(first.Epochs, second.Epochs);
        Assert.Equal(first.Migrations!.Select(m => (m.Vm, m.From, m.To, m.Epoch, m.Pages)), second.Migrations!.Select(m => (m.Vm, m.From, m.To, m.Epoch, m.Pages)));
        Assert.Equal(first.PhysicalCpus.Select(p => (p.Clock, p.Counters)), second.PhysicalCpus.Select(p => (p.Clock, p.Counters)));
        Assert.Equal(first.Vms.Select(v => (v.FinishedAt, v.Statistics!.ConsumedCycles)), second.Vms.Select(v => (v.FinishedAt, v.Statistics!.ConsumedCycles)));
    }

    private MonitorSettings Scenario(string vms) => ScenarioLoader.Load($$"""
        actorvmm {
          machine.physical-cpus = 2
          vm-defaults { kernel = "{{guests.KernelFile}}", memory = 8M }
          trace.enabled = off
          output.console = off
          cluster.node { physical-cpus = 2, memory = 128M }
          vms = [ {{vms}} ]
        }
        """, "cluster test");

    private static async Task<MonitorResult> RunOnThreeNodes(MonitorSettings settings)
    {
        await using var launcher = new InProcessNodeLauncher();
        var run = await ClusterRun.ExecuteAsync(settings, SilentConsole.Instance, 3, launcher, TimeSpan.FromMinutes(3), akkaOverrides: "akka.loglevel = WARNING");
        return run.Result;
    }
}
