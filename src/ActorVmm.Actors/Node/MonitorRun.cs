using System.Collections.Immutable;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>
/// One run of the monitor on one node: the node's bootstrap (its machine memory, trace
/// recorder and actor system, from <see cref="AkkaConfiguration"/>), the MonitorRoot, and the
/// result once every VM has stopped.
/// </summary>
/// <param name="TraceFiles">Every trace file of the run, one per node (a cluster run's node0 first); by default <paramref name="TracePath"/>'s alone.</param>
public sealed record MonitorRun(MonitorResult Result, string? TracePath, IReadOnlyList<string>? TraceFiles = null)
{
    /// <summary>The files to read as the run's trace (none when tracing was off).</summary>
    public IReadOnlyList<string> AllTraceFiles => TraceFiles ?? (TracePath is null ? [] : [TracePath]);

    private static readonly Lazy<AkkaConfiguration> Akka = new(() => AkkaConfiguration.Load());

    /// <summary>The node's Akka configuration (the shipped file and its VM dispatchers).</summary>
    public static AkkaConfiguration AkkaSettings => Akka.Value;

    /// <param name="interrupt">Stops the run from outside: the actors stop, the trace is closed with the reason, and <see cref="OperationCanceledException"/> is thrown.</param>
    /// <param name="akkaOverrides">Configuration in front of the node's (a test's journal that fails).</param>
    public static MonitorRun Execute(MonitorSettings settings, IConsoleOutput console, TimeSpan? timeout = null, IRunObserver? observer = null,
        RunInterrupt? interrupt = null, Akka.Configuration.Config? akkaOverrides = null)
    {
        string? tracePath = null;
        TraceRecorder trace = TraceRecorder.Disabled;
        if (settings.Trace.Enabled)
        {
            Directory.CreateDirectory(settings.Output.Directory);
            tracePath = Path.GetFullPath(Path.Combine(settings.Output.Directory, settings.Trace.File));
            trace = new TraceRecorder(tracePath, new TraceMetadata(settings.ScenarioName, settings.Machine.PhysicalCpus,
                settings.Vms.ToDictionary(v => v.Id, v => v.Name), TraceMetadata.LocalNode, settings.Trace.StampEvery));
        }

        string? interruption = null;
        try
        {
            using var machineMemory = AllocateMachineMemory(settings.Machine.MemoryBytes);
            var checkpoint = settings.Checkpoint;
            if (checkpoint.Enabled)
            {
                Directory.CreateDirectory(settings.Output.Directory);
            }

            var config = checkpoint.Enabled
                ? CheckpointStore.Around(AkkaSettings.Config, checkpoint, settings.Output.Directory)
                : AkkaSettings.Config;
            var system = ActorSystem.Create("actorvmm", akkaOverrides is null ? config : akkaOverrides.WithFallback(config));
            try
            {
                var node = MonitorNode.Install(system, new MonitorNode(LocalNodeName, machineMemory, trace, observer, AkkaSettings.VmDispatchers));
                node.CheckpointStore = CheckpointStore.Describe(checkpoint, settings.Output.Directory);
                var resources = NodeResources.Start(system, LocalNodeName, settings.Machine.PhysicalCpus, sharing: settings.Sharing);
                node.MemoryManager = resources.MemoryManager;
                string? consoleFiles = checkpoint.Taking ? Path.GetFullPath(settings.Output.Directory) : null;
                var sink = system.ActorOf(Props.Create(() => new ConsoleSink(console, false, consoleFiles, checkpoint.Resume)), "console");
                var completion = new TaskCompletionSource<MonitorResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                system.ActorOf(Props.Create(() => new MonitorRoot(settings, completion, resources, sink)), "monitor");
                try
                {
                    if (!completion.Task.Wait(timeout ?? Timeout.InfiniteTimeSpan, interrupt?.Token ?? CancellationToken.None))
                    {
                        throw new TimeoutException($"the scenario {settings.ScenarioName} did not finish within {timeout}");
                    }
                }
                catch (OperationCanceledException) when (interrupt?.Reason is { } reason)
                {
                    interruption = reason;
                    throw;
                }

                var result = completion.Task.Result;
                return new MonitorRun(WithConsoles(result, sink), tracePath);
            }
            finally
            {
                // Machine memory is freed only after the actor system has stopped: vCPUs hold raw pointers into it.
                system.Terminate().Wait(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            // Every thread's buffered records reach the file, and its end block says whether the run finished.
            trace.Close(interruption);
        }
    }

    /// <summary>The name of the node of a one-node run.</summary>
    public const string LocalNodeName = "local";

    /// <summary>Every VM's console, as the ConsoleSink delivered it, into the result.</summary>
    public static MonitorResult WithConsoles(MonitorResult result, IActorRef sink)
    {
        var consoles = sink.Ask<ConsoleSinkProtocol.Consoles>(
            new ConsoleSinkProtocol.GetConsoles(result.Vms.Select(v => v.Id).ToImmutableArray()), TimeSpan.FromSeconds(30)).Result;
        return result with { Vms = result.Vms.Select(v => v with { Console = consoles.ByVm.GetValueOrDefault(v.Id, "") }).ToList() };
    }

    /// <summary>A node's machine memory: reserved whole, committed by the host only as VMs touch it.</summary>
    public static MemoryBlock AllocateMachineMemory(ulong bytes)
    {
        bytes = MachinePage.RoundUp(bytes);
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
}
