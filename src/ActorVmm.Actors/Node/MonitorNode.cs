using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>
/// What one node of the monitor has that is not an actor: its name, its machine memory
/// (hardware, read and written by the node's vCPUs as processors share RAM), its trace
/// recorder and VM dispatchers, and where its memory manager is. Reached from any actor of
/// the node through the actor system.
/// </summary>
public sealed class MonitorNode : IExtension
{
    /// <param name="name">The node's name in consoles, reports and traces ("local" for a one-node run).</param>
    public MonitorNode(string name, MemoryBlock machineMemory, TraceRecorder trace, IRunObserver? observer = null,
        IReadOnlyList<string>? vmDispatchers = null)
    {
        Name = name;
        MachineMemory = machineMemory;
        Trace = trace;
        Observer = observer;
        _vmDispatchers = vmDispatchers ?? [];
    }

    public string Name { get; }

    /// <summary>
    /// The node's MemoryManager, owner of its machine memory (<see cref="NodeResources.Start"/>);
    /// set once by the node's bootstrap before any VM starts.
    /// </summary>
    public IActorRef MemoryManager { get; set; } = ActorRefs.Nobody;

    /// <summary>The node's agent (node info, arriving VMs); set by a cluster node's bootstrap.</summary>
    public IActorRef Agent { get; set; } = ActorRefs.Nobody;

    private readonly IReadOnlyList<string> _vmDispatchers;

    /// <summary>
    /// The dispatcher a VM's vCPU and trap router share (<see cref="AkkaConfiguration.VmDispatchers"/>),
    /// or the default one when the node has none.
    /// </summary>
    public Props OnVmDispatcher(Props props, int vmId) =>
        _vmDispatchers.Count == 0 ? props : props.WithDispatcher(_vmDispatchers[vmId % _vmDispatchers.Count]);

    public IRunObserver? Observer { get; }

    /// <summary>Kernel images and boot plans, read once per node.</summary>
    public BootImages BootImages { get; } = new();

    public MemoryBlock MachineMemory { get; }

    public TraceRecorder Trace { get; }


    public static MonitorNode Get(ActorSystem system) => system.GetExtension<MonitorNode>()
        ?? throw new InvalidOperationException("MonitorNode.Install was not called on this actor system");

    public static MonitorNode Install(ActorSystem system, MonitorNode node)
    {
        system.RegisterExtension(new Id(node));
        return node;
    }

    private sealed class Id(MonitorNode node) : ExtensionIdProvider<MonitorNode>
    {
        public override MonitorNode CreateExtension(ExtendedActorSystem system) => node;
    }
}
