using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.EndToEnd.Tests.Harness;
using ActorVmm.EndToEnd.Tests.Monitor;
using ActorVmm.Monitor;
using ActorVmm.Monitor.Tracing;
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
        using var directory = new TemporaryDirectory();
        var settings = Traced(Scenario(Unbalanced), Path.Combine(directory.Path, "one"));
        var aloneRun = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(3));
        var alone = aloneRun.Result;

        var clusterSettings = Traced(settings, Path.Combine(directory.Path, "three"));
        var cluster = await RunOnThreeNodes(clusterSettings);

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

        AssertSameTrapSequences(aloneRun, clusterSettings);
    }

    [Fact]
    public async Task Each_vm_behaves_on_three_nodes_without_migrations_as_on_one_node()
    {
        using var directory = new TemporaryDirectory();
        var settings = Traced(Scenario(Unbalanced, migration: "{ policy = off }"), Path.Combine(directory.Path, "one"));
        var aloneRun = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(3));
        var clusterSettings = Traced(settings, Path.Combine(directory.Path, "three"));

        var cluster = await RunOnThreeNodes(clusterSettings);

        Assert.Empty(cluster.Migrations ?? []);
        Assert.True(cluster.AllPoweredOffCleanly);
        Assert.Equal(aloneRun.Result.Vms.Select(v => (v.Name, v.Console, v.Statistics!.GuestInstructions)), cluster.Vms.Select(v => (v.Name, v.Console, v.Statistics!.GuestInstructions)));
        AssertSameTrapSequences(aloneRun, clusterSettings);
    }

    /// <summary>
    /// The same traps, decided the same way, in the same order, whichever node each was taken
    /// on: the three nodes' trace files read as one against the one-node trace.
    /// </summary>
    private static void AssertSameTrapSequences(MonitorRun alone, MonitorSettings clusterSettings)
    {
        var onOne = TrapSequences(TraceSet.Open([alone.TracePath!]));
        var onThree = TrapSequences(TraceSet.Open(Enumerable.Range(0, 3).Select(i => ClusterRun.TracePath(clusterSettings, ClusterRun.NodeName(i))!)));
        Assert.Equal(onOne.Keys.Order(), onThree.Keys.Order());
        foreach (var (vm, traps) in onOne)
        {
            Assert.True(traps.Count > 100, $"vm {vm} took {traps.Count} traps");
            int first = traps.Zip(onThree[vm]).TakeWhile(p => p.First == p.Second).Count();
            Assert.True(traps.SequenceEqual(onThree[vm]),
                $"vm {vm}: its {traps.Count} traps and decisions on one node differ from its {onThree[vm].Count} on three, first at #{first}: {traps.ElementAtOrDefault(first)} against {onThree[vm].ElementAtOrDefault(first)}");
        }
    }

    /// <summary>Each VM's guest-visible monitor work in order: its traps and the router's decisions, by PC and details (not machine page numbers).</summary>
    private static Dictionary<int, List<(TraceKind, uint, ushort, uint, uint, uint)>> TrapSequences(TraceSet trace)
    {
        var kinds = new HashSet<TraceKind> { TraceKind.Trap, TraceKind.Emulate, TraceKind.Reflect, TraceKind.ReturnFromTrap, TraceKind.TlbWriteIntercepted };
        var sequences = new Dictionary<int, List<(TraceKind, uint, ushort, uint, uint, uint)>>();
        foreach (var (_, r) in trace.Merged(r => kinds.Contains(r.Kind)))
        {
            if (!sequences.TryGetValue(r.Vm, out var list))
            {
                sequences[r.Vm] = list = [];
            }

            // A TLB write's machine pages are its node's, not the guest's: the guest sees the
            // write (index, EntryHi, PPNs in TlbWriteIntercepted), not where the pages landed.
            bool machinePages = r.Kind == TraceKind.Emulate && EmulateEvent.Decode(r).Op is ActorVmm.Cpu.PrivilegedOp.Tlbwi or ActorVmm.Cpu.PrivilegedOp.Tlbwr;
            list.Add((r.Kind, r.GuestPc, r.Aux, r.D0, machinePages ? 0 : r.D1, machinePages ? 0 : r.D2));
        }

        return sequences;
    }

    private static MonitorSettings Traced(MonitorSettings settings, string directory) => settings with
    {
        Trace = settings.Trace with { Enabled = true },
        Output = settings.Output with { Directory = directory },
    };

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

    /// <summary>
    /// node1 leaves while its VMs run: at the next epoch boundary they move to the other nodes
    /// (pmake among them, in mid-run), and the node goes once they have. Every VM finishes as
    /// on one node (pmake as on the bare board), and no page of the moved VMs stays behind.
    /// </summary>
    [Fact]
    public async Task A_node_that_leaves_mid_run_hands_its_vms_over_and_pmake_moved_mid_run_finishes_as_on_the_bare_board()
    {
        var settings = Scenario("""
            { name = "pmake",    cmdline = "run=pmake",           node = 1 }
            { name = "raytrace", cmdline = "run=raytrace",        node = 1 }
            { name = "compute",  cmdline = "run=compute",         node = 0 }
            """, migration: "{ policy = off }");
        var alone = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(3)).Result;
        var native = NativeKernel.KernelRun.Boot(guests.Kernel.KernelBytes, "run=pmake", memoryMegabytes: 8).PoweredOff();
        await using var launcher = new InProcessNodeLauncher();
        var leave = new LeaveAtEpoch(3, () => launcher.Nodes[0]);

        var result = (await ClusterRun.ExecuteAsync(settings, SilentConsole.Instance, 3, launcher, TimeSpan.FromMinutes(3),
            observer: leave, akkaOverrides: "akka.loglevel = WARNING")).Result;

        Assert.True(leave.Left, "node1 left during the run");
        Assert.True(result.AllPoweredOffCleanly);
        foreach (var (one, three) in alone.Vms.Zip(result.Vms))
        {
            Assert.Equal(one.Console, three.Console);
            Assert.Equal(one.Statistics!.GuestInstructions, three.Statistics!.GuestInstructions);
            Assert.Equal(one.Statistics.Traps, three.Statistics.Traps);
        }

        var pmake = result.Vms.Single(v => v.Name == "pmake");
        var move = Assert.Single(result.Migrations!, m => m.Name == "pmake");
        Assert.Equal("node1", move.From);
        Assert.True(move.Cycle < pmake.FinishedAt, "pmake moved before it finished");
        Assert.Equal(native.Text, pmake.Console);
        Assert.Equal(native.Stats.Instructions, pmake.Statistics!.GuestInstructions);
        Assert.Equal(1, pmake.Statistics.Ledger.EventsOf(ActorVmm.Monitor.Mechanism.Migration));

        var left = result.Nodes!.Single(n => n.Name == "node1");
        Assert.Equal(2, left.MigrationsOut);
        Assert.Equal(0, left.MigrationsIn);
        Assert.All(result.Migrations!, m => Assert.Equal("node1", m.From));
        var to = result.Nodes!.Single(n => n.Name == move.To);
        Assert.True(to.Memory.PagesByVm[pmake.Id] >= move.Pages, "the target gave a machine page to every page that moved");
        Assert.All(result.Nodes!.Where(n => n.Name != "node1"), n => Assert.Equal(0u, n.Memory.AllocatedPages));
    }

    /// <summary>
    /// The paravirtual kernel with Disco's L2 TLB moves mid-run too: its special page is pinned
    /// again on the node it lands on and kept coherent from what the guest last stored there, and
    /// pmake prints the bare board's console (its L2 TLB starts empty there: only the count of
    /// refills the monitor did for it may differ).
    /// </summary>
    [Fact]
    public async Task A_paravirtual_vm_moved_mid_run_keeps_its_special_page_and_finishes_as_on_the_bare_board()
    {
        var native = NativeKernel.KernelRun.Boot(guests.Kernel.PvKernelBytes, "run=pmake", memoryMegabytes: 8).PoweredOff();
        // Bounded: a guest that lost its special page on the way stops instead of running on.
        var settings = Scenario($$"""
            { name = "pmake-pv", cmdline = "run=pmake", kernel = "{{guests.PvKernelFile}}", l2-tlb = disco, node = 1, max-instructions = {{2 * native.Stats.Instructions}} }
            { name = "compute",  cmdline = "run=compute", node = 0 }
            """, migration: "{ policy = off }");
        await using var launcher = new InProcessNodeLauncher();
        var leave = new LeaveAtEpoch(3, () => launcher.Nodes[0]);

        var result = (await ClusterRun.ExecuteAsync(settings, SilentConsole.Instance, 3, launcher, TimeSpan.FromMinutes(3),
            observer: leave, akkaOverrides: "akka.loglevel = WARNING")).Result;

        var pmake = result.Vms.Single(v => v.Name == "pmake-pv");
        var move = Assert.Single(result.Migrations!, m => m.Name == "pmake-pv");
        Assert.True(move.Cycle < pmake.FinishedAt, "pmake moved before it finished");
        Assert.True(result.AllPoweredOffCleanly);
        Assert.True(pmake.Statistics!.Paravirtual);
        Assert.Equal(L2TlbMode.Disco, pmake.Statistics.L2TlbMode);
        Assert.Equal(native.Text, pmake.Console);
        Assert.All(result.Nodes!.Where(n => n.Name != "node1"), n => Assert.Equal(0u, n.Memory.AllocatedPages));
    }

    /// <summary>Has a node leave when the run reaches an epoch (told on the root's thread: the leave runs elsewhere).</summary>
    private sealed class LeaveAtEpoch(long epoch, Func<ClusterNode> node) : IRunObserver
    {
        public bool Left { get; private set; }

        public void Progress(RunProgress progress)
        {
            if (!Left && progress.Epoch >= epoch)
            {
                Left = true;
                var leaving = node();
                _ = Task.Run(leaving.Leave);
            }
        }
    }

    private MonitorSettings Scenario(string vms, string migration = "{ }") => ScenarioLoader.Load($$"""
        actorvmm {
          machine.physical-cpus = 2
          vm-defaults { kernel = "{{guests.KernelFile}}", memory = 8M }
          trace.enabled = off
          output.console = off
          cluster.node { physical-cpus = 2, memory = 128M }
          cluster.migration {{migration}}
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
