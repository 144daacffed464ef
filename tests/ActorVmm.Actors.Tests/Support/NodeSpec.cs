using ActorVmm.Monitor.Tracing;
using ActorVmm.Memory;
using Akka.Configuration;
using Xunit.Abstractions;

namespace ActorVmm.Actors.Tests.Support;

/// <summary>
/// An Akka.TestKit spec with the node services installed (machine memory, trace recorder,
/// console) before any actor is created, as <c>actorvmm run</c> does. The machine memory is
/// freed only after the actor system has shut down, since vCPUs hold raw pointers into it.
/// </summary>
public abstract class NodeSpec : Akka.TestKit.Xunit2.TestKit
{
    // Every message an actor sends is serialized and the copy delivered (serialize-messages),
    // through the node's own bindings (the shipped actorvmm-akka.conf underneath), with the
    // JSON serializer replaced by a guard: a spec that sends a protocol message without a
    // binary serializer fails (see Dispose).
    private static readonly Config SpecConfig = ConfigurationFactory.ParseString($"""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.test.single-expect-default = 3s
        akka.actor.serialize-messages = on
        akka.actor.serialize-creators = off
        {JsonGuard.Hocon}
        """).WithFallback(AkkaConfiguration.Load().Config);

    protected NodeSpec(ulong machineMemoryBytes, ITestOutputHelper? output = null, TraceRecorder? trace = null)
        : base(SpecConfig, output: output)
    {
        MachineMemory = new MemoryBlock(machineMemoryBytes);
        Node = MonitorNode.Install(Sys, new MonitorNode("test", MachineMemory, trace ?? TraceRecorder.Disabled));
    }

    protected MemoryBlock MachineMemory { get; }

    protected MonitorNode Node { get; }

    /// <summary>How long a spec waits to be sure a message was NOT sent.</summary>
    protected static TimeSpan Quiet => TimeSpan.FromMilliseconds(150);

    protected override void Dispose(bool disposing)
    {
        var json = disposing ? Sys.Serialization.FindSerializerForType(typeof(object)) as JsonGuard : null;
        base.Dispose(disposing);
        if (disposing)
        {
            MachineMemory.Dispose();
            if (json?.ProtocolMessagesSeen is { Count: > 0 } seen)
            {
                throw new InvalidOperationException(
                    $"Akka's JSON serializer was asked to serialize protocol messages: {string.Join(", ", seen.Select(t => t.FullName))}; each needs a manifest in its protocol's binary serializer (src/ActorVmm.Actors/Serialization)");
            }
        }
    }
}
