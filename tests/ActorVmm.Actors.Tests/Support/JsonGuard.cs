using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace ActorVmm.Actors.Tests.Support;

/// <summary>
/// Akka's default JSON serializer, recording every protocol message it is asked to serialize.
/// Installed as <c>json</c> in every spec (<see cref="NodeSpec"/>), which fails if anything
/// was recorded: with serialize-messages on, every message an actor sends passes through its
/// serializer, so a protocol message that has no binary serializer is caught by the first spec
/// that sends it. TestKit's own messages may go through JSON; they are not recorded.
/// </summary>
public sealed class JsonGuard : NewtonSoftJsonSerializer
{
    private readonly ConcurrentDictionary<Type, bool> _protocolMessages = new();

    public JsonGuard(ExtendedActorSystem system)
        : base(system)
    {
    }

    // Akka builds the `json` serializer with its settings block.
    public JsonGuard(ExtendedActorSystem system, Config config)
        : base(system, config)
    {
    }

    /// <summary>The HOCON that puts the guard in place of the default JSON serializer.</summary>
    public const string Hocon = """
        akka.actor.serializers.json = "ActorVmm.Actors.Tests.Support.JsonGuard, ActorVmm.Actors.Tests"
        akka.actor.serialization-identifiers { "ActorVmm.Actors.Tests.Support.JsonGuard, ActorVmm.Actors.Tests" = 1 }
        """;

    /// <summary>The protocol message types JSON was asked to serialize.</summary>
    public IReadOnlyCollection<Type> ProtocolMessagesSeen => _protocolMessages.Keys.ToArray();

    public override byte[] ToBinary(object? obj)
    {
        if (obj is not null && ProtocolMessages.IsProtocolMessage(obj.GetType()))
        {
            _protocolMessages.TryAdd(obj.GetType(), true);
        }

        return base.ToBinary(obj);
    }
}
