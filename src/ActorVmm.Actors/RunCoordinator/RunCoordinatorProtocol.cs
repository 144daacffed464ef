using System.Collections.Immutable;
using ActorVmm.Actors.Configuration;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Messages the RunCoordinator (the cluster singleton that hosts a run's root) serves.</summary>
public static class RunCoordinatorProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>
    /// Driver → coordinator: run this scenario on these nodes (node0 first); consoles go to
    /// <paramref name="Console"/>, the result to <paramref name="Watcher"/>. Replied with
    /// <see cref="ScenarioStarted"/> or <see cref="ScenarioRefused"/>.
    /// </summary>
    public sealed record StartScenario(MonitorSettings Settings, ImmutableArray<NodeAgentProtocol.NodeInfo> Nodes, IActorRef Console, IActorRef Watcher) : IMessage;

    public sealed record ScenarioStarted(string Scenario) : IMessage;

    public sealed record ScenarioRefused(string Reason) : IMessage;

    /// <summary>Coordinator → watcher: every VM has stopped; the run's result (consoles are the ConsoleSink's).</summary>
    public sealed record RunFinished(MonitorResult Result) : IMessage;

    /// <summary>The shard allocation strategy → coordinator: which node should VM shard <paramref name="Shard"/> live on? Replied with <see cref="PlacedOn"/>.</summary>
    public sealed record WhereIs(string Shard) : IMessage;

    /// <param name="Node">The node's name, or null when the coordinator has no opinion (no run, or a VM it does not know).</param>
    public sealed record PlacedOn(string Shard, string? Node) : IMessage;

    /// <summary>The strategy → coordinator: shards and the node each is on now; replied with <see cref="MisplacedShards"/>.</summary>
    public sealed record WhichMisplaced(ImmutableDictionary<string, string> Current) : IMessage;

    public sealed record MisplacedShards(ImmutableArray<string> Shards) : IMessage;

    /// <summary>A node's agent → coordinator: the node is leaving; move its VMs off it. Replied with <see cref="NodeDrained"/> once none is left there.</summary>
    public sealed record NodeLeaving(string Node) : IMessage;

    public sealed record NodeDrained(string Node) : IMessage;
}
