using System.Globalization;
using Akka.Cluster.Sharding;


namespace ActorVmm.Actors;

/// <summary>Which VM a message is for: the entity id and the shard id are both the VM's id, so a rebalance moves one VM.</summary>
public sealed class VmMessageExtractor : IMessageExtractor
{
    public static string IdOf(int vm) => vm.ToString(CultureInfo.InvariantCulture);

    public string? EntityId(object message) => message switch
    {
        GuestVmProtocol.StartVm start => IdOf(start.Settings.Id),
        GuestVmProtocol.PrepareMigration move => IdOf(move.Vm),
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
