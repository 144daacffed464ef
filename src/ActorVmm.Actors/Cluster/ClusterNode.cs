using System.Globalization;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;

namespace ActorVmm.Actors;

/// <summary>How a node of a cluster run starts.</summary>
/// <param name="Name">The node's name (node0, node1, ...): its role in the cluster, its label in consoles and reports.</param>
/// <param name="Seeds">Addresses of nodes to join ("host:port"); none: this node starts the cluster.</param>
/// <param name="TracePath">Where this node writes its own trace, or null for none.</param>
/// <param name="AkkaOverrides">HOCON that takes precedence over the shipped configuration (a test's settings).</param>
public sealed record ClusterNodeOptions(
    string Name,
    int PhysicalCpus,
    ulong MachineMemoryBytes,
    string Host = "127.0.0.1",
    int Port = 0,
    IReadOnlyList<string>? Seeds = null,
    string? TracePath = null,
    TraceMetadata? TraceMetadata = null,
    string? AkkaOverrides = null);

/// <summary>
/// One node of the simulated multiprocessor as a member of an Akka.Cluster: its machine
/// memory, memory manager, physical CPUs and agent; the Sharding region where VMs live (a VM's
/// GuestVm, VirtualCpu and TrapRouter together on one node, so a trap never crosses the
/// network); and the run coordinator singleton (on the oldest node), which hosts a run's root.
/// Leaving gracefully (<see cref="Leave"/>, Ctrl-C on `actorvmm node`) first moves the node's
/// VMs to the others.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    public const string NodeRole = "node";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(110);

    private readonly MemoryBlock _machineMemory;
    private readonly TraceRecorder _trace;

    private ClusterNode(ActorSystem system, MemoryBlock machineMemory, TraceRecorder trace, NodeResources resources, IActorRef region, IActorRef coordinator)
    {
        System = system;
        _machineMemory = machineMemory;
        _trace = trace;
        Resources = resources;
        Region = region;
        Coordinator = coordinator;
    }

    public ActorSystem System { get; }

    public string Name => Resources.Name;

    public NodeResources Resources { get; }

    /// <summary>The Sharding region of the VMs on this node.</summary>
    public IActorRef Region { get; }

    /// <summary>A proxy to the run coordinator singleton, wherever it runs.</summary>
    public IActorRef Coordinator { get; }

    public Address Address => Cluster.Get(System).SelfAddress;

    /// <summary>"host:port", for other nodes' --seed.</summary>
    public string Endpoint => $"{Address.Host}:{Address.Port}";

    public static async Task<ClusterNode> StartAsync(ClusterNodeOptions options, IRunObserver? observer = null)
    {
        string overrides = $$"""
            akka.remote.dot-netty.tcp.hostname = "{{options.Host}}"
            akka.remote.dot-netty.tcp.port = {{options.Port.ToString(CultureInfo.InvariantCulture)}}
            akka.cluster.roles = ["{{NodeRole}}", "{{options.Name}}"]
            akka.coordinated-shutdown.phases.before-cluster-shutdown.timeout = 120s
            {{options.AkkaOverrides}}
            """;
        var akka = AkkaConfiguration.Load(overrides, cluster: true);
        var trace = options.TracePath is null ? TraceRecorder.Disabled : new TraceRecorder(options.TracePath, options.TraceMetadata ?? new TraceMetadata(options.Name, options.PhysicalCpus, new Dictionary<int, string>()));
        var memory = MonitorRun.AllocateMachineMemory(options.MachineMemoryBytes);
        var system = ActorSystem.Create("actorvmm", akka.Config);
        var node = MonitorNode.Install(system, new MonitorNode(options.Name, memory, trace, observer, akka.VmDispatchers));
        var started = NodeResources.Start(system, options.Name, options.PhysicalCpus);
        node.MemoryManager = started.MemoryManager;
        ulong memoryBytes = options.MachineMemoryBytes;
        var agent = system.ActorOf(Props.Create(() => new NodeAgent(started, memoryBytes)), "node");
        node.Agent = agent;
        var resources = started with { Agent = agent };

        var coordinator = system.ActorOf(ClusterSingletonProxy.Props("/user/coordinator",
            ClusterSingletonProxySettings.Create(system).WithRole(NodeRole)), "coordinator-proxy");
        var region = await ClusterSharding.Get(system).StartAsync("vm", Props.Create(() => new GuestVm(true)),
            ClusterShardingSettings.Create(system).WithRole(NodeRole), new VmMessageExtractor(),
            new VmAllocationStrategy(system, () => coordinator), GuestVmProtocol.HandOffVm.Instance);
        system.ActorOf(ClusterSingletonManager.Props(Props.Create(() => new RunCoordinator(region)), PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system).WithRole(NodeRole)), "coordinator");

        var self = new ClusterNode(system, memory, trace, resources, region, coordinator);
        self.DrainBeforeLeaving();
        var cluster = Cluster.Get(system);
        if (options.Seeds is { Count: > 0 } seeds)
        {
            cluster.JoinSeedNodes(seeds.Select(s => Address.Parse($"akka.tcp://actorvmm@{s}")));
        }
        else
        {
            cluster.Join(cluster.SelfAddress);
        }

        return self;
    }

    /// <summary>
    /// Before a node that leaves on purpose shuts its region down, the run's root moves its VMs
    /// to the other nodes at the next epoch boundary; the node waits for that.
    /// </summary>
    private void DrainBeforeLeaving()
    {
        var shutdown = CoordinatedShutdown.Get(System);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "drain-vms", async () =>
        {
            // Only a node that leaves while a run goes on hands its VMs over: not one that was
            // downed (nothing can move any more), nor one the driver stops because the run is over.
            if (shutdown.ShutdownReason is not (CoordinatedShutdown.ClusterLeavingReason or CoordinatedShutdown.ClrExitReason))
            {
                return Akka.Done.Instance;
            }

            try
            {
                await Coordinator.Ask<RunCoordinatorProtocol.NodeDrained>(new RunCoordinatorProtocol.NodeLeaving(Name), DrainTimeout);
            }
            catch (Exception e)
            {
                System.Log.Warning("node {0} left before its VMs could move: {1}: {2}", Name, e.GetType().Name, e.Message);
            }

            return Akka.Done.Instance;
        });
    }

    /// <summary>Leave the cluster gracefully while a run goes on (its VMs move to the other nodes first) and stop.</summary>
    public Task Leave() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);

    /// <summary>Stop because the run is over: leave the cluster without handing anything over.</summary>
    public Task Stop() => CoordinatedShutdown.Get(System).Run(RunOverReason.Instance);

    /// <summary>Completes when the node's actor system has stopped.</summary>
    public Task Terminated => System.WhenTerminated;

    public async ValueTask DisposeAsync()
    {
        await Stop();
        await System.WhenTerminated;
        _trace.Dispose();
        _machineMemory.Dispose();
    }
}
