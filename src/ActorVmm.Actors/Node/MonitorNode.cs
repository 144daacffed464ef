using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>
/// What one node of the monitor has that is not an actor: its machine memory (hardware,
/// read and written by the node's vCPUs as processors share RAM), its trace recorder and
/// where consoles are printed. Reached from any actor of the node through the actor system.
/// </summary>
public sealed class MonitorNode : IExtension
{
    public MonitorNode(MemoryBlock machineMemory, TraceRecorder trace, IConsoleOutput console, IRunObserver? observer = null,
        IReadOnlyList<string>? vmDispatchers = null)
    {
        MachineMemory = machineMemory;
        Trace = trace;
        Console = console;
        Observer = observer;
        _vmDispatchers = vmDispatchers ?? [];
    }

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

    public IConsoleOutput Console { get; }

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
