using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>The address of the node an actor lives on, as every node writes it (a local reference's address is its system's own).</summary>
public static class NodeAddress
{
    public static Address Of(IActorRef actor, ActorSystem system) =>
        actor.Path.Address.HasLocalScope ? ((ExtendedActorSystem)system).Provider.DefaultAddress : actor.Path.Address;
}
