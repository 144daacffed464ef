using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Actors.Tracing;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using Akka.Actor;
using Akka.Configuration;

namespace ActorVmm.Host;

/// <summary>One run of the monitor on this node: actor system, machine memory, trace, and the result.</summary>
public sealed record MonitorRun(MonitorResult Result, string? TracePath)
{
    /// <summary>
    /// One single-thread dispatcher per host core for the VMs: a VM's vCPU and trap router
    /// share one, so a trap's round trip stays on one thread instead of dragging the vCPU's
    /// state (core, TLBs, translation caches) between cores, and VMs on different
    /// dispatchers run in parallel. Everything else uses the default dispatcher.
    /// </summary>
    public static IReadOnlyList<string> VmDispatchers { get; } =
        Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount)).Select(i => $"actorvmm-vm-dispatcher-{i}").ToArray();

    public static string AkkaConfig { get; } = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.default-dispatcher.throughput = 100
        }
        """ + string.Concat(VmDispatchers.Select(id => $$"""

        {{id}} {
          type = Dispatcher
          executor = fork-join-executor
          fork-join-executor { parallelism-min = 1, parallelism-factor = 1.0, parallelism-max = 1 }
          throughput = 100
        }
        """));

    private static MemoryBlock AllocateMachineMemory(MonitorSettings settings)
    {
        ulong bytes = MachinePage.RoundUp(settings.Machine.MemoryBytes);
        try
        {
            return new MemoryBlock(bytes);
        }
        catch (OutOfMemoryException)
        {
            throw new MachineConfigurationException(
                $"this host cannot reserve {bytes >> 20} MB for actorvmm.machine.memory; machine memory is committed only as VMs touch it, but the reservation itself must fit the host's address space and overcommit limits");
        }
    }

    public static MonitorRun Execute(MonitorSettings settings, IConsoleOutput console, TimeSpan? timeout = null, IRunObserver? observer = null)
    {
        string? tracePath = null;
        TraceRecorder trace = TraceRecorder.Disabled;
        if (settings.Trace.Enabled)
        {
            Directory.CreateDirectory(settings.Output.Directory);
            tracePath = Path.GetFullPath(Path.Combine(settings.Output.Directory, settings.Trace.File));
            trace = new TraceRecorder(tracePath, new TraceMetadata(settings.ScenarioName, settings.Machine.PhysicalCpus,
                settings.Vms.ToDictionary(v => v.Id, v => v.Name)));
        }

        using var machineMemory = AllocateMachineMemory(settings);
        var system = ActorSystem.Create("actorvmm", ConfigurationFactory.ParseString(AkkaConfig));
        try
        {
            MonitorNode.Install(system, new MonitorNode(machineMemory, trace, console, observer, VmDispatchers));
            var completion = new TaskCompletionSource<MonitorResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new MonitorRoot(settings, completion)), "monitor");
            if (!completion.Task.Wait(timeout ?? Timeout.InfiniteTimeSpan))
            {
                throw new TimeoutException($"the scenario {settings.ScenarioName} did not finish within {timeout}");
            }

            return new MonitorRun(completion.Task.Result, tracePath);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            trace.Dispose();
        }
    }
}
