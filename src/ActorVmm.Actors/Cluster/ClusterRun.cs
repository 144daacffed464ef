using System.Collections.Immutable;
using System.Diagnostics;
using ActorVmm.Actors.Configuration;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;
using Akka.Cluster;

namespace ActorVmm.Actors;

/// <summary>Starts the other nodes of a cluster run: as processes of the same binary, or (in tests) in this process.</summary>
public interface INodeLauncher : IAsyncDisposable
{
    /// <summary>Start a node with these options (its seed is node0); return once it is on its way.</summary>
    Task LaunchAsync(ClusterNodeOptions options);
}

/// <summary>
/// A scenario run on an Akka.Cluster of N nodes: this process is node0 (it seeds the cluster,
/// shows the consoles and gets the result), the launcher starts node1..N-1, and the run's root
/// runs in the run coordinator singleton. Every node the run started is stopped when it ends,
/// also when it fails.
/// </summary>
public static class ClusterRun
{
    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(60);

    public static string NodeName(int index) => $"node{index}";

    public static async Task<MonitorRun> ExecuteAsync(MonitorSettings settings, IConsoleOutput console, int nodes, INodeLauncher launcher,
        TimeSpan? timeout = null, IRunObserver? observer = null, string? akkaOverrides = null)
    {
        if (nodes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(nodes), nodes, "a cluster run has at least one node");
        }

        string? tracePath = TracePath(settings, NodeName(0));
        // The run ends its node itself; at process exit there is no cluster left to leave gracefully.
        var node0 = await ClusterNode.StartAsync(Options(settings, NodeName(0), [], $"akka.coordinated-shutdown.run-by-clr-shutdown-hook = off\n{akkaOverrides}"), observer);
        try
        {
            for (int i = 1; i < nodes; i++)
            {
                await launcher.LaunchAsync(Options(settings, NodeName(i), [node0.Endpoint], akkaOverrides));
            }

            var infos = await FormAsync(node0, nodes);
            var result = await RunAsync(node0.System, node0.Coordinator, settings, infos, console, timeout);
            foreach (var info in infos.Skip(1))
            {
                info.Agent.Tell(new NodeAgentProtocol.Shutdown());
            }

            return new MonitorRun(result, tracePath, tracePath is null ? null : [.. Enumerable.Range(0, nodes).Select(i => TracePath(settings, NodeName(i))!)]);
        }
        finally
        {
            // Each node's trace file is complete once its process (or actor system) has stopped.
            await launcher.DisposeAsync();
            await node0.DisposeAsync();
        }
    }

    /// <summary>
    /// A scenario run on a cluster that already exists: this process joins it only to run the
    /// scenario (it hosts no VMs), on every node up at the time; the nodes stay up afterwards.
    /// </summary>
    public static async Task<MonitorRun> JoinAsync(MonitorSettings settings, IConsoleOutput console, IReadOnlyList<string> seeds,
        TimeSpan? timeout = null, string? akkaOverrides = null)
    {
        string overrides = $$"""
            akka.cluster.roles = ["driver"]
            {{akkaOverrides}}
            """;
        var system = ActorSystem.Create("actorvmm", AkkaConfiguration.Load(overrides, cluster: true).Config);
        try
        {
            var cluster = Cluster.Get(system);
            cluster.JoinSeedNodes(seeds.Select(s => Address.Parse($"akka.tcp://actorvmm@{s}")));
            var clock = Stopwatch.StartNew();
            while (!cluster.State.Members.Any(m => m.Address.Equals(cluster.SelfAddress) && m.Status == MemberStatus.Up)
                   || !cluster.State.Members.Any(m => m.Status == MemberStatus.Up && m.HasRole(ClusterNode.NodeRole)))
            {
                if (clock.Elapsed > FormationTimeout)
                {
                    throw new TimeoutException($"could not join a cluster with nodes at {string.Join(", ", seeds)} within {FormationTimeout.TotalSeconds:F0} s");
                }

                await Task.Delay(20);
            }

            var nodes = cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterNode.NodeRole)).ToList();
            var infos = await Task.WhenAll(nodes.Select(m => system.ActorSelection(new RootActorPath(m.Address) / "user" / "node")
                .Ask<NodeAgentProtocol.NodeInfo>(new NodeAgentProtocol.GetNodeInfo(), TimeSpan.FromSeconds(10))));
            var coordinator = system.ActorOf(Akka.Cluster.Tools.Singleton.ClusterSingletonProxy.Props("/user/coordinator",
                Akka.Cluster.Tools.Singleton.ClusterSingletonProxySettings.Create(system).WithRole(ClusterNode.NodeRole)), "coordinator-proxy");
            var result = await RunAsync(system, coordinator, settings, [.. infos.OrderBy(i => i.Name, StringComparer.Ordinal)], console, timeout);
            return new MonitorRun(result, null);
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(RunOverReason.Instance);
        }
    }

    /// <summary>A node of this run: its share of the cluster section and, when the trace is on, its own trace file.</summary>
    public static ClusterNodeOptions Options(MonitorSettings settings, string name, IReadOnlyList<string> seeds, string? akkaOverrides = null) => new(
        name,
        settings.Cluster.NodePhysicalCpus,
        settings.Cluster.NodeMemoryBytes,
        Seeds: seeds,
        TracePath: TracePath(settings, name),
        TraceMetadata: new TraceMetadata(settings.ScenarioName, settings.Cluster.NodePhysicalCpus, settings.Vms.ToDictionary(v => v.Id, v => v.Name), name, settings.Trace.StampEvery),
        AkkaOverrides: akkaOverrides);

    /// <summary>"trace.avtrace" becomes "trace-node1.avtrace": each node writes its own.</summary>
    public static string? TracePath(MonitorSettings settings, string node)
    {
        if (!settings.Trace.Enabled)
        {
            return null;
        }

        Directory.CreateDirectory(settings.Output.Directory);
        string file = settings.Trace.File;
        string name = $"{Path.GetFileNameWithoutExtension(file)}-{node}{Path.GetExtension(file)}";
        return Path.GetFullPath(Path.Combine(settings.Output.Directory, Path.GetDirectoryName(file) ?? "", name));
    }

    /// <summary>Wait until <paramref name="nodes"/> nodes are Up, and learn what each one is.</summary>
    public static async Task<ImmutableArray<NodeAgentProtocol.NodeInfo>> FormAsync(ClusterNode node0, int nodes)
    {
        var cluster = Cluster.Get(node0.System);
        var clock = Stopwatch.StartNew();
        while (cluster.State.Members.Count(m => m.Status == MemberStatus.Up && m.HasRole(ClusterNode.NodeRole)) < nodes)
        {
            if (clock.Elapsed > FormationTimeout)
            {
                int up = cluster.State.Members.Count(m => m.Status == MemberStatus.Up);
                throw new TimeoutException($"the cluster did not form: {up} of {nodes} nodes up after {FormationTimeout.TotalSeconds:F0} s");
            }

            await Task.Delay(20);
        }

        var members = cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterNode.NodeRole)).ToList();

        // Every node's VM region must be known to Sharding's coordinator before a VM is placed:
        // a region it does not know yet would send the VM to another node, and the run would
        // not be the same twice.
        while (true)
        {
            var regions = await node0.Region.Ask<Akka.Cluster.Sharding.CurrentRegions>(Akka.Cluster.Sharding.GetCurrentRegions.Instance, TimeSpan.FromSeconds(10));
            if (members.All(m => regions.Regions.Contains(m.Address)))
            {
                break;
            }

            if (clock.Elapsed > FormationTimeout)
            {
                throw new TimeoutException($"the cluster's VM regions did not all register: {regions.Regions.Count} of {nodes} after {FormationTimeout.TotalSeconds:F0} s");
            }

            await Task.Delay(20);
        }

        var infos = await Task.WhenAll(members.Select(m =>
            node0.System.ActorSelection(new RootActorPath(m.Address) / "user" / "node")
                .Ask<NodeAgentProtocol.NodeInfo>(new NodeAgentProtocol.GetNodeInfo(), TimeSpan.FromSeconds(10))));
        return [.. infos.OrderBy(i => i.Name.Length).ThenBy(i => i.Name, StringComparer.Ordinal)];
    }

    private static async Task<MonitorResult> RunAsync(ActorSystem system, IActorRef coordinator, MonitorSettings settings, ImmutableArray<NodeAgentProtocol.NodeInfo> infos, IConsoleOutput console, TimeSpan? timeout)
    {
        var sink = system.ActorOf(Props.Create(() => new ConsoleSink(console, true)), "console");
        var finished = new TaskCompletionSource<MonitorResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = system.ActorOf(Props.Create(() => new RunWatcher(finished)), "run-watcher");
        var reply = await coordinator.Ask<object>(new RunCoordinatorProtocol.StartScenario(settings, infos, sink, watcher), TimeSpan.FromSeconds(30));
        if (reply is RunCoordinatorProtocol.ScenarioRefused refused)
        {
            throw new InvalidOperationException($"the cluster refused the scenario: {refused.Reason}");
        }

        var done = await Task.WhenAny(finished.Task, system.WhenTerminated, Task.Delay(timeout ?? Timeout.InfiniteTimeSpan));
        if (done == system.WhenTerminated && !finished.Task.IsCompleted)
        {
            // Downed by the split-brain resolver (it was in the minority when the other nodes
            // went) or stopped from outside: nothing will finish the run now.
            throw new InvalidOperationException($"this node left the cluster before the scenario {settings.ScenarioName} finished: were the other nodes lost?");
        }

        if (!finished.Task.IsCompleted)
        {
            throw new TimeoutException($"the scenario {settings.ScenarioName} did not finish within {timeout}");
        }

        return MonitorRun.WithConsoles(finished.Task.Result, sink);
    }

    /// <summary>Where a cluster run's result arrives, on node0.</summary>
    private sealed class RunWatcher(TaskCompletionSource<MonitorResult> finished) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is RunCoordinatorProtocol.RunFinished done)
            {
                finished.TrySetResult(done.Result);
            }
            else
            {
                Unhandled(message);
            }
        }
    }
}

/// <summary>Other nodes in this process, as a test runs a cluster (each its own actor system, as Akka's own sharding specs do).</summary>
public sealed class InProcessNodeLauncher : INodeLauncher
{
    private readonly List<ClusterNode> _nodes = new();

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    public async Task LaunchAsync(ClusterNodeOptions options) => _nodes.Add(await ClusterNode.StartAsync(options));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _nodes.Clear();
    }
}
