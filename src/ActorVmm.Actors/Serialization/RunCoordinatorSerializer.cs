using Akka.Actor;
using static ActorVmm.Actors.RunCoordinatorProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>The serializer of <see cref="RunCoordinatorProtocol"/>: a scenario, its placement, its result.</summary>
public sealed class RunCoordinatorSerializer : ProtocolSerializer
{
    public const int Id = 4109;

    public RunCoordinatorSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(RunCoordinatorProtocol))
    {
        Add<StartScenario>("S", static (w, m) =>
        {
            w.Scenario(m.Settings);
            w.Array(m.Nodes, NodeAgentSerializer.WriteInfo);
            w.Ref(m.Console);
            w.Ref(m.Watcher);
        }, static (ref WireReader r) => new StartScenario(r.Scenario(), r.Array(NodeAgentSerializer.ReadInfo, 18), r.RequiredRef(), r.RequiredRef()));
        Add<ScenarioStarted>("SS", static (w, m) => w.String(m.Scenario), static (ref WireReader r) => new ScenarioStarted(r.String()));
        Add<ScenarioRefused>("SR", static (w, m) => w.String(m.Reason), static (ref WireReader r) => new ScenarioRefused(r.String()));
        Add<RunFinished>("F", static (w, m) => w.Result(m.Result), static (ref WireReader r) => new RunFinished(r.Result()));
        Add<WhereIs>("W", static (w, m) => w.String(m.Shard), static (ref WireReader r) => new WhereIs(r.String()));
        Add<PlacedOn>("P", static (w, m) =>
        {
            w.String(m.Shard);
            w.String(m.Node);
        }, static (ref WireReader r) => new PlacedOn(r.String(), r.NullableString()));
        Add<WhichMisplaced>("WM", static (w, m) => w.Map(m.Current, static (w, shard) => w.String(shard), static (w, node) => w.String(node)),
            static (ref WireReader r) => new WhichMisplaced(r.ImmutableMap(static (ref WireReader r) => r.String(), static (ref WireReader r) => r.String(), 8)));
        Add<MisplacedShards>("MS", static (w, m) => w.Array(m.Shards, static (w, s) => w.String(s)),
            static (ref WireReader r) => new MisplacedShards(r.Array(static (ref WireReader r) => r.String(), 4)));
        Add<NodeLeaving>("L", static (w, m) => w.String(m.Node), static (ref WireReader r) => new NodeLeaving(r.String()));
        Add<NodeDrained>("D", static (w, m) => w.String(m.Node), static (ref WireReader r) => new NodeDrained(r.String()));
    }
}
