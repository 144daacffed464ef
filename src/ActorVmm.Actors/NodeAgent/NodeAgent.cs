using Akka.Actor;
using static ActorVmm.Actors.NodeAgentProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// A node's front desk in a cluster: says what the node is (its physical CPUs, machine memory,
/// memory manager), and keeps the packages of VMs moving here until Sharding starts each one's
/// GuestVm on this node and it takes its package.
/// </summary>
public sealed class NodeAgent(NodeResources node, ulong memoryBytes) : UntypedActor
{
    private readonly Dictionary<int, MigrationPackage> _packages = new();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case GetNodeInfo:
                Sender.Tell(new NodeInfo(node.Name, memoryBytes, node.PhysicalCpus, node.MemoryManager, Self));
                break;
            case MigrationPackage package:
                // Stored before the reply: the source stops its VM on the reply, and only then
                // does Sharding start the VM here, which takes the package.
                _packages[package.Vm] = package;
                Sender.Tell(new PackageStored(package.Vm));
                break;
            case TakePackage take when _packages.Remove(take.Vm, out var package):
                Sender.Tell(package);
                break;
            case TakePackage take:
                Sender.Tell(new NoPackage(take.Vm));
                break;
            case Shutdown:
                CoordinatedShutdown.Get(Context.System).Run(RunOverReason.Instance);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
