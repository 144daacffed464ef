using System.Collections.Immutable;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>One node of the simulated multiprocessor as a run sees it: its name, its memory manager and its physical CPUs.</summary>
/// <param name="Agent">The node's agent, in a cluster (where VMs arriving on the node are received).</param>
public sealed record NodeResources(string Name, IActorRef MemoryManager, ImmutableArray<IActorRef> PhysicalCpus, IActorRef? Agent = null)
{
    /// <summary>A cluster node as its agent described it.</summary>
    public static NodeResources Of(NodeAgentProtocol.NodeInfo info) => new(info.Name, info.MemoryManager, info.PhysicalCpus, info.Agent);

    /// <summary>
    /// Start a node's memory manager and <paramref name="physicalCpus"/> physical CPUs in
    /// <paramref name="system"/> (named /user/memory, /user/pcpu0, ...; <paramref name="prefix"/>
    /// before each name when one system hosts several runs, as a test does).
    /// </summary>
    /// <param name="sharing">Page sharing in the node's machine memory (a one-node run takes its scenario's; cluster nodes start before any scenario and share nothing).</param>
    public static NodeResources Start(ActorSystem system, string name, int physicalCpus, string prefix = "", Memory.PageSharingSettings? sharing = null)
    {
        var pageSharing = sharing ?? Memory.PageSharingSettings.Off;
        return new(
            name,
            system.ActorOf(Props.Create(() => new MemoryManager(pageSharing, null)), prefix + "memory"),
            Enumerable.Range(0, physicalCpus).Select(i => system.ActorOf(Props.Create(() => new PhysicalCpu(i)), $"{prefix}pcpu{i}")).ToImmutableArray());
    }
}
