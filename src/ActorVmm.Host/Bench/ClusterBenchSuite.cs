using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Host.Cluster;
using ActorVmm.Host.Commands;

namespace ActorVmm.Host.Bench;

/// <summary>What <c>actorvmm bench cluster</c> measures and how big.</summary>
/// <param name="TrapCommandLine">The trap-heavy VM whose trap rate is compared on one node and on a cluster.</param>
/// <param name="FleetVms">How many VMs of fleet.conf's mix (in its order) the fleet runs take.</param>
public sealed record ClusterBenchOptions(FileInfo Kernel, FileInfo FleetScenario, int Repeat, int Warmup, string TrapCommandLine, int FleetVms);

/// <summary>
/// <c>actorvmm bench cluster</c>: what spreading the monitor over an Akka.Cluster costs, each
/// figure against its one-node peer measured in the same run (runs interleaved, best of
/// several): a VM's trap rate on a node of three, the wall time and bytes of moving a 16 MB VM
/// between nodes, a fleet's aggregate guest MIPS on three nodes, and how long three nodes
/// take to form. Every cluster run is checked against its one-node run: the same consoles and
/// instruction counts, or the bench fails.
/// </summary>
public static class ClusterBenchSuite
{
    public const double TrapRateGoal = 0.9;
    public const double MigrationWallGoalMs = 200;
    public const double FleetGoal = 0.8;

    /// <summary>The migrating VM: 16 MB, nearly all of it touched by two memory programs before the move, then computing.</summary>
    public const string MigratingCommandLine = "run=memory:2000:64,memory:1800:64,compute:600000:64";

    /// <summary>An epoch by which both memory programs of <see cref="MigratingCommandLine"/> have touched their pages (they finish by epoch 16).</summary>
    public const long MigrationEpoch = 20;

    private const int Nodes = 3;

    public static async Task<bool> RunAsync(ClusterBenchOptions options, TextWriter output, TextWriter log)
    {
        log.WriteLine($"bench cluster: best of {options.Repeat} after {options.Warmup} warm-up run(s); progress:");
        var bench = new Bench(options, log);
        var formation = await bench.FormationAsync();
        var traps = await bench.TrapRateAsync();
        var migration = await bench.MigrationAsync();
        var fleet = await bench.FleetAsync();
        return Print(output, options, formation, traps, migration, fleet);
    }

    private sealed record Formation(TimeSpan InProcess, TimeSpan Processes);

    private sealed record TrapRate(string CommandLine, long Traps, TimeSpan OneNode, TimeSpan Cluster, TimeSpan InProcessCluster)
    {
        public double OneNodeRate => Traps / OneNode.TotalSeconds;

        public double ClusterRate => Traps / Cluster.TotalSeconds;

        public double InProcessClusterRate => Traps / InProcessCluster.TotalSeconds;
    }

    private sealed record MigrationFigures(MigrationRecord Best, double WorstMilliseconds, long StateBytes);

    private sealed record FleetFigures(int Vms, long Instructions, TimeSpan OneNode, TimeSpan Cluster, int Migrations)
    {
        public double OneNodeMips => Instructions / OneNode.TotalSeconds / 1e6;

        public double ClusterMips => Instructions / Cluster.TotalSeconds / 1e6;
    }

    private static bool Print(TextWriter o, ClusterBenchOptions options, Formation formation, TrapRate traps, MigrationFigures migration, FleetFigures fleet)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine();
        o.WriteLine($"actorvmm bench cluster: {options.Kernel.Name}, {Environment.ProcessorCount} host cores, .NET {Environment.Version}, best of {options.Repeat} after {options.Warmup} warm-up; nodes on loopback");
        o.WriteLine();
        o.WriteLine("1. Cluster formation: three nodes started until all are Up and their VM regions registered");
        o.WriteLine($"   in this process (three actor systems)        {formation.InProcess.TotalMilliseconds,8:F0} ms");
        o.WriteLine($"   node1 and node2 as `actorvmm node` processes  {formation.Processes.TotalMilliseconds,8:F0} ms (process start-up included)");
        o.WriteLine();
        o.WriteLine($"2. Trap rate of one VM (\"{traps.CommandLine}\", {traps.Traps:N0} traps): on one node, and on node1 of three (the trap's round trip stays on node1)");
        o.WriteLine($"   one node                          {traps.OneNode.TotalSeconds,7:F3} s  {traps.OneNodeRate,10:N0} traps/s");
        o.WriteLine($"   node1 of three, in this process   {traps.InProcessCluster.TotalSeconds,7:F3} s  {traps.InProcessClusterRate,10:N0} traps/s  ({traps.InProcessClusterRate / traps.OneNodeRate:F2}x)");
        o.WriteLine($"   node1 of three, a process of its own {traps.Cluster.TotalSeconds,4:F3} s  {traps.ClusterRate,10:N0} traps/s  ({traps.ClusterRate / traps.OneNodeRate:F2}x; a fresh process: its JIT starts cold)");
        o.WriteLine();
        var m = migration.Best;
        o.WriteLine($"3. Migration of a running 16 MB VM (\"{MigratingCommandLine}\") from node1 as it leaves, at epoch {m.Epoch}");
        o.WriteLine($"   {m.Pages:N0} pages ({m.Pages * 4096 / 1048576.0:F1} MB) + {migration.StateBytes:N0} bytes of machine state = {m.Bytes:N0} bytes moved, {m.From} -> {m.To}");
        o.WriteLine($"   wall time from the decision to the VM ready on its new node: best {m.WallMilliseconds:F0} ms, worst {migration.WorstMilliseconds:F0} ms ({m.Bytes / 1048576.0 / (m.WallMilliseconds / 1000):F0} MB/s)");
        o.WriteLine("   its console and instruction count equal the one-node run's (checked)");
        o.WriteLine();
        o.WriteLine($"4. Fleet: the first {fleet.Vms} VMs of {options.FleetScenario.Name} on one node of 6 physical CPUs and on three nodes of 2 (node1 and node2 processes), trace off");
        o.WriteLine($"   one node     {fleet.OneNode.TotalSeconds,7:F3} s  {fleet.OneNodeMips,7:F1} guest MIPS aggregate");
        o.WriteLine($"   three nodes  {fleet.Cluster.TotalSeconds,7:F3} s  {fleet.ClusterMips,7:F1} guest MIPS aggregate ({fleet.ClusterMips / fleet.OneNodeMips:F2}x), {fleet.Migrations} migrations");
        o.WriteLine($"   {fleet.Instructions:N0} guest instructions either way; every VM's console and count equal (checked)");

        double trapRatio = traps.ClusterRate / traps.OneNodeRate;
        double inProcessTrapRatio = traps.InProcessClusterRate / traps.OneNodeRate;
        double fleetRatio = fleet.ClusterMips / fleet.OneNodeMips;
        var goals = new (string Goal, string Measured, string Target, bool Met)[]
        {
            ("trap rate on node1 of three (in process) / one node", inProcessTrapRatio.ToString("F2", inv) + "x", ">= 0.9x", inProcessTrapRatio >= TrapRateGoal),
            ("trap rate on node1 of three (process) / one node", trapRatio.ToString("F2", inv) + "x", ">= 0.9x", trapRatio >= TrapRateGoal),
            ("migration of a running 16 MB VM, wall time", m.WallMilliseconds.ToString("F0", inv) + " ms", "<= 200 ms", m.WallMilliseconds <= MigrationWallGoalMs),
            ("fleet guest MIPS, three nodes / one node", fleetRatio.ToString("F2", inv) + "x", ">= 0.8x", fleetRatio >= FleetGoal),
        };
        o.WriteLine();
        o.WriteLine("Goals");
        o.WriteLine($"{"goal",-52} {"measured",9} {"target",10} {"met",4}");
        foreach (var g in goals)
        {
            o.WriteLine($"{g.Goal,-52} {g.Measured,9} {g.Target,10} {(g.Met ? "yes" : "NO"),4}");
        }

        return goals.All(g => g.Met);
    }

    private sealed class Bench(ClusterBenchOptions options, TextWriter log)
    {
        private const string Quiet = "akka.loglevel = ERROR";

        public async Task<Formation> FormationAsync()
        {
            var settings = Scenario(["run=compute"], physicalCpus: 1);
            var inProcess = TimeSpan.MaxValue;
            var processes = TimeSpan.MaxValue;
            for (int round = 0; round < options.Warmup + options.Repeat; round++)
            {
                bool warm = round < options.Warmup;
                var a = await FormOnce(settings, processes: false);
                var b = await FormOnce(settings, processes: true);
                Note(warm, round, "formation", $"{a.TotalMilliseconds:F0} ms in process, {b.TotalMilliseconds:F0} ms with processes");
                if (!warm)
                {
                    inProcess = Min(inProcess, a);
                    processes = Min(processes, b);
                }
            }

            return new Formation(inProcess, processes);
        }

        private static async Task<TimeSpan> FormOnce(MonitorSettings settings, bool processes)
        {
            var clock = Stopwatch.StartNew();
            var node0 = await ClusterNode.StartAsync(ClusterRun.Options(settings, ClusterRun.NodeName(0), [], Quiet));
            INodeLauncher launcher = processes ? new ProcessNodeLauncher("error") : new InProcessNodeLauncher();
            try
            {
                for (int i = 1; i < Nodes; i++)
                {
                    await launcher.LaunchAsync(ClusterRun.Options(settings, ClusterRun.NodeName(i), [node0.Endpoint], Quiet));
                }

                var infos = await ClusterRun.FormAsync(node0, Nodes);
                var formed = clock.Elapsed;
                foreach (var info in infos.Skip(1))
                {
                    info.Agent.Tell(new NodeAgentProtocol.Shutdown(), Akka.Actor.ActorRefs.NoSender);
                }

                return formed;
            }
            finally
            {
                await launcher.DisposeAsync();
                await node0.DisposeAsync();
            }
        }

        public async Task<TrapRate> TrapRateAsync()
        {
            string cmdline = options.TrapCommandLine;
            var one = Scenario([cmdline], physicalCpus: 1);
            var three = Scenario([cmdline], physicalCpus: 1, nodeOf: _ => 1);
            var bestOne = TimeSpan.MaxValue;
            var bestCluster = TimeSpan.MaxValue;
            var bestInProcess = TimeSpan.MaxValue;
            long traps = 0;
            for (int round = 0; round < options.Warmup + options.Repeat; round++)
            {
                bool warm = round < options.Warmup;
                var alone = MonitorRun.Execute(one, SilentConsole.Instance).Result;
                var spread = (await ClusterRun.ExecuteAsync(three, SilentConsole.Instance, Nodes, new ProcessNodeLauncher("error"), akkaOverrides: Quiet)).Result;
                Same("trap rate", alone, spread);
                MonitorResult inProcess;
                await using (var launcher = new InProcessNodeLauncher())
                {
                    inProcess = (await ClusterRun.ExecuteAsync(three, SilentConsole.Instance, Nodes, launcher, akkaOverrides: Quiet)).Result;
                }

                Same("trap rate", alone, inProcess);
                traps = alone.Vms.Single().Statistics!.Traps.Values.Sum();
                Note(warm, round, "trap rate", $"one node {alone.WallTime.TotalSeconds:F3} s, node1 of three {spread.WallTime.TotalSeconds:F3} s as a process, {inProcess.WallTime.TotalSeconds:F3} s in this process, {traps:N0} traps");
                if (!warm)
                {
                    bestOne = Min(bestOne, alone.WallTime);
                    bestCluster = Min(bestCluster, spread.WallTime);
                    bestInProcess = Min(bestInProcess, inProcess.WallTime);
                }
            }

            return new TrapRate(cmdline, traps, bestOne, bestCluster, bestInProcess);
        }

        public async Task<MigrationFigures> MigrationAsync()
        {
            var one = Scenario([MigratingCommandLine], physicalCpus: 1, memory: "16M");
            var three = Scenario([MigratingCommandLine], physicalCpus: 1, memory: "16M", nodeOf: _ => 1);
            var alone = MonitorRun.Execute(one, SilentConsole.Instance).Result;
            MigrationRecord? best = null;
            double worst = 0;
            long stateBytes = 0;
            for (int round = 0; round < options.Warmup + options.Repeat; round++)
            {
                bool warm = round < options.Warmup;
                await using var launcher = new InProcessNodeLauncher();
                var leave = new LeaveAtEpoch(MigrationEpoch, () => launcher.Nodes[0]);
                var moved = (await ClusterRun.ExecuteAsync(three, SilentConsole.Instance, Nodes, launcher, observer: leave, akkaOverrides: Quiet)).Result;
                Same("migration", alone, moved);
                var record = moved.Migrations?.SingleOrDefault()
                    ?? throw new BenchmarkMismatchException($"migration: expected one move when node1 left at epoch {MigrationEpoch}, saw {moved.Migrations?.Count ?? 0}");
                stateBytes = record.Bytes - (long)record.Pages * 4096;
                Note(warm, round, "migration", $"{record.Pages:N0} pages, {record.Bytes:N0} bytes, {record.WallMilliseconds:F0} ms");
                if (!warm)
                {
                    best = best is null || record.WallMilliseconds < best.WallMilliseconds ? record : best;
                    worst = Math.Max(worst, record.WallMilliseconds);
                }
            }

            return new MigrationFigures(best!, worst, stateBytes);
        }

        public async Task<FleetFigures> FleetAsync()
        {
            var mix = ScenarioLoader.LoadFile(options.FleetScenario.FullName, RunCommand.ResolveKernel).Vms.Take(options.FleetVms).ToList();
            var commandLines = mix.Select(v => v.CommandLine).ToList();
            var one = Scenario(commandLines, physicalCpus: 6, memory: "4M");
            var three = Scenario(commandLines, physicalCpus: 2, memory: "4M", migration: "balance");
            var bestOne = TimeSpan.MaxValue;
            var bestCluster = TimeSpan.MaxValue;
            long instructions = 0;
            int migrations = 0;
            for (int round = 0; round < options.Warmup + options.Repeat; round++)
            {
                bool warm = round < options.Warmup;
                var alone = MonitorRun.Execute(one, SilentConsole.Instance).Result;
                var spread = (await ClusterRun.ExecuteAsync(three, SilentConsole.Instance, Nodes, new ProcessNodeLauncher("error"), akkaOverrides: Quiet)).Result;
                Same("fleet", alone, spread);
                instructions = alone.Vms.Sum(v => v.Statistics!.GuestInstructions);
                migrations = spread.Migrations?.Count ?? 0;
                Note(warm, round, "fleet", $"one node {alone.WallTime.TotalSeconds:F3} s, three nodes {spread.WallTime.TotalSeconds:F3} s ({migrations} migrations)");
                if (!warm)
                {
                    bestOne = Min(bestOne, alone.WallTime);
                    bestCluster = Min(bestCluster, spread.WallTime);
                }
            }

            return new FleetFigures(commandLines.Count, instructions, bestOne, bestCluster, migrations);
        }

        /// <summary>A cluster run must be its one-node run's equal, VM for VM.</summary>
        private static void Same(string what, MonitorResult one, MonitorResult cluster)
        {
            foreach (var (a, b) in one.Vms.Zip(cluster.Vms))
            {
                if (!b.Outcome.Equals(a.Outcome) || a.Outcome.Kind != Cpu.Board.MachineOutcomeKind.PoweredOff)
                {
                    throw new BenchmarkMismatchException($"{what}: {b.Name} ended {b.Outcome.Kind} on the cluster, {a.Outcome.Kind} on one node");
                }

                if (a.Console != b.Console || a.Statistics!.GuestInstructions != b.Statistics!.GuestInstructions)
                {
                    throw new BenchmarkMismatchException($"{what}: {b.Name}'s console or instruction count on the cluster differs from its one-node run: the cluster is not transparent");
                }
            }
        }

        private void Note(bool warm, int round, string what, string figures) =>
            log.WriteLine($"  {(warm ? "warm-up" : "run " + (round - options.Warmup + 1)),-8} {what,-10} {figures}");

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        private MonitorSettings Scenario(IReadOnlyList<string> commandLines, int physicalCpus, string memory = "8M", Func<int, int>? nodeOf = null, string migration = "off")
        {
            static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
            var vms = new StringBuilder();
            for (int i = 0; i < commandLines.Count; i++)
            {
                string node = nodeOf is null ? "auto" : nodeOf(i).ToString(CultureInfo.InvariantCulture);
                vms.AppendLine(CultureInfo.InvariantCulture, $"    {{ name = \"vm{i + 1}\", cmdline = {Quote(commandLines[i])}, node = {node} }}");
            }

            string hocon = $$"""
                actorvmm {
                  machine { physical-cpus = {{physicalCpus}}, memory = 1G }
                  vm-defaults { kernel = {{Quote(options.Kernel.FullName)}}, memory = {{memory}} }
                  trace.enabled = off
                  output { directory = {{Quote(Path.Combine(Path.GetTempPath(), $"actorvmm-bench-cluster-{Environment.ProcessId}"))}}, console = off, progress = off, json-report = off }
                  cluster {
                    node = { physical-cpus = {{physicalCpus}}, memory = 512M }
                    migration.policy = {{migration}}
                  }
                  vms = [
                {{vms}}  ]
                }
                """;
            return ScenarioLoader.Load(hocon, "bench cluster", RunCommand.ResolveKernel);
        }
    }

    /// <summary>Has node1 leave gracefully once the run reaches an epoch: its VMs move to the other nodes.</summary>
    private sealed class LeaveAtEpoch(long epoch, Func<ClusterNode> node) : IRunObserver
    {
        private bool _left;

        public void Progress(RunProgress progress)
        {
            if (!_left && progress.Epoch >= epoch)
            {
                _left = true;
                var leaving = node();
                _ = Task.Run(leaving.Leave);
            }
        }
    }
}
