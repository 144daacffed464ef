using ActorVmm.Monitor.Tracing;
using ActorVmm.Memory;
using Xunit.Abstractions;

namespace ActorVmm.Actors.Tests.Support;

/// <summary>
/// An Akka.TestKit spec with the node services installed (machine memory, trace recorder,
/// console) before any actor is created, as <c>actorvmm run</c> does. The machine memory is
/// freed only after the actor system has shut down, since vCPUs hold raw pointers into it.
/// </summary>
public abstract class NodeSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Config = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.test.single-expect-default = 3s
        """;

    protected NodeSpec(ulong machineMemoryBytes, ITestOutputHelper? output = null, TraceRecorder? trace = null)
        : base(Config, output)
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
        base.Dispose(disposing);
        if (disposing)
        {
            MachineMemory.Dispose();
        }
    }
}
