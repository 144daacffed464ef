using System.Collections.Immutable;
using Akka.Actor;
using static ActorVmm.Actors.RunCoordinatorProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// The cluster singleton of a cluster of monitor nodes: it hosts the root of the run in
/// progress (<see cref="MonitorRoot"/>, the epoch driver of every node's physical CPUs) and
/// answers, for the VM allocation strategy and for nodes that leave, by asking that root.
/// With no run in progress it has no opinion.
/// </summary>
public sealed class RunCoordinator(IActorRef region) : UntypedActor
{
    private IActorRef? _root;
    private IActorRef _watcher = ActorRefs.Nobody;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StartScenario start when _root is not null:
                Sender.Tell(new ScenarioRefused("a scenario is already running on this cluster"));
                break;
            case StartScenario start:
            {
                _watcher = start.Watcher;
                var watcher = start.Watcher;
                var nodes = start.Nodes.Select(NodeResources.Of).ToImmutableArray();
                _root = Context.ActorOf(Props.Create(() => new MonitorRoot(start.Settings, r => watcher.Tell(new RunFinished(r)), nodes, region, start.Console)), "run");
                Context.Watch(_root);
                Sender.Tell(new ScenarioStarted(start.Settings.ScenarioName));
                break;
            }

            case WhereIs or WhichMisplaced or NodeLeaving when _root is not null:
                _root.Forward(message);
                break;
            case WhereIs where:
                Sender.Tell(new PlacedOn(where.Shard, null));
                break;
            case WhichMisplaced:
                Sender.Tell(new MisplacedShards([]));
                break;
            case NodeLeaving leaving:
                Sender.Tell(new NodeDrained(leaving.Node));
                break;
            case Terminated t when t.ActorRef.Equals(_root):
                _root = null;
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
