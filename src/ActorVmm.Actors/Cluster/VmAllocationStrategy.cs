using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;

namespace ActorVmm.Actors;

/// <summary>
/// Where Sharding puts each VM (one VM per shard): where the run's root says it belongs
/// (asked through the run coordinator singleton). A shard whose VM the root moved is reported
/// misplaced at the next rebalance tick, so Sharding hands it off to its new node. With no
/// opinion (no run, or a region gone), the least-loaded region: never the coordinator's own
/// reference, which it passes as the requester when it restarts a lost node's VMs.
/// </summary>
public sealed class VmAllocationStrategy(ActorSystem system, Func<IActorRef> coordinator) : IShardAllocationStrategy
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);
    private readonly ILoggingAdapter _log = Logging.GetLogger(system, nameof(VmAllocationStrategy));

    public async Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        string? wanted = null;
        try
        {
            wanted = (await coordinator().Ask<RunCoordinatorProtocol.PlacedOn>(new RunCoordinatorProtocol.WhereIs(shardId), AskTimeout)).Node;
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            _log.Warning("VM shard {0}: the run coordinator did not say where it belongs ({1}); placing it on the least-loaded node", shardId, e.Message);
        }

        var region = currentShardAllocations.Keys.FirstOrDefault(r => NodeAddress.Of(r, system).ToString() == wanted);
        if (region is not null)
        {
            return region;
        }

        return currentShardAllocations.ContainsKey(requester)
            ? requester
            : currentShardAllocations.OrderBy(kv => kv.Value.Count).ThenBy(kv => NodeAddress.Of(kv.Key, system).ToString(), StringComparer.Ordinal).First().Key;
    }

    public async Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        var current = currentShardAllocations
            .SelectMany(kv => kv.Value.Select(shard => (Shard: shard, Node: NodeAddress.Of(kv.Key, system).ToString())))
            .Where(x => !rebalanceInProgress.Contains(x.Shard))
            .ToImmutableDictionary(x => x.Shard, x => x.Node);
        if (current.Count == 0)
        {
            return ImmutableHashSet<string>.Empty;
        }

        try
        {
            var misplaced = await coordinator().Ask<RunCoordinatorProtocol.MisplacedShards>(new RunCoordinatorProtocol.WhichMisplaced(current), AskTimeout);
            var regions = currentShardAllocations.Keys.Select(r => NodeAddress.Of(r, system).ToString()).ToHashSet();
            return misplaced.Shards.ToImmutableHashSet();
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ImmutableHashSet<string>.Empty;
        }
    }
}
