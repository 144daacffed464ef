using System.CommandLine;
using System.Runtime.InteropServices;
using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Monitor.Tracing;
using ActorVmm.Host.Cluster;
using ActorVmm.Host.Progress;
using ActorVmm.Cpu.Board;
using ActorVmm.Host.Reports;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm run [SCENARIO.conf]</c>: guest kernels side by side under the monitor.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Argument<FileInfo?>("scenario") { Description = "A HOCON scenario (default: the embedded two-guests scenario).", Arity = ArgumentArity.ZeroOrOne };
        var noTrace = new Option<bool>("--no-trace") { Description = "Do not record the message trace." };
        var output = new Option<string?>("--output") { Description = "Directory for the trace and the report (overrides output.directory)." };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the VMs' consoles as they run." };
        var nodes = new Option<int>("--nodes") { Description = "Run on an Akka.Cluster of N nodes on this machine: N-1 more `actorvmm node` processes on loopback, stopped when the run ends.", DefaultValueFactory = _ => 1 };
        var join = new Option<string[]>("--join") { Description = "HOST:PORT of a node of an existing cluster: run the scenario on its nodes (repeatable)." };
        var logLevel = new Option<string>("--log-level") { Description = "The monitor's own log on stderr: verbose, debug, info, warning or error.", DefaultValueFactory = _ => "warning" };
        var logJson = new Option<string?>("--log-json") { Description = "Also write the log to FILE as JSON lines." };
        var resume = new Option<bool>("--resume") { Description = "Continue a run of the same scenario and --output whose process died, from each VM's last checkpoint (needs checkpoint.every), printing only what was not printed before." };
        var command = new Command("run", "Run a scenario: guest kernels under the monitor, with the report and the trace summary at the end.")
        {
            scenario, noTrace, output, quiet, nodes, join, logLevel, logJson, resume,
        };
        command.SetAction(parse => Run(parse.GetValue(scenario), parse.GetValue(noTrace), parse.GetValue(output), parse.GetValue(quiet),
            parse.GetValue(nodes), parse.GetValue(join) ?? [], parse.GetValue(logLevel)!, parse.GetValue(logJson), parse.GetValue(resume)));
        return command;
    }

    private static int Run(FileInfo? scenarioFile, bool noTrace, string? outputOverride, bool quiet, int nodes, string[] join, string logLevel, string? logJson, bool resume)
    {
        if (nodes is < 1 or > 64)
        {
            Console.Error.WriteLine($"actorvmm run: --nodes {nodes}: a run has 1 to 64 nodes");
            return 2;
        }

        if (nodes > 1 && join.Length > 0)
        {
            Console.Error.WriteLine("actorvmm run: --nodes starts a cluster, --join uses one: give one of them");
            return 2;
        }

        if (!HostLogging.Levels.Contains(logLevel))
        {
            Console.Error.WriteLine($"actorvmm run: --log-level {logLevel}: expected one of {string.Join(", ", HostLogging.Levels)}");
            return 2;
        }

        bool cluster = nodes > 1 || join.Length > 0;
        string? akkaLogging = cluster ? HostLogging.Configure(logLevel, logJson) : null;

        MonitorSettings settings;
        try
        {
            settings = scenarioFile is null
                ? ScenarioLoader.Load(ScenarioLoader.DefaultScenarioText, "two-guests.conf (embedded)", ResolveKernel)
                : ScenarioLoader.LoadFile(scenarioFile.FullName, ResolveKernel);
        }
        catch (ScenarioException e)
        {
            Console.Error.WriteLine($"actorvmm run: {e.Message}");
            return 2;
        }

        if (noTrace)
        {
            settings = settings with { Trace = settings.Trace with { Enabled = false } };
        }

        if (outputOverride is not null)
        {
            settings = settings with { Output = settings.Output with { Directory = outputOverride } };
        }

        if (resume)
        {
            if (!settings.Checkpoint.Enabled)
            {
                Console.Error.WriteLine($"actorvmm run: --resume: the scenario {settings.ScenarioName} takes no checkpoints (set actorvmm.checkpoint.every)");
                return 2;
            }

            if (cluster)
            {
                Console.Error.WriteLine("actorvmm run: --resume runs on one node (a cluster's VMs take no checkpoints yet)");
                return 2;
            }

            settings = settings with { Checkpoint = settings.Checkpoint with { Resume = true } };
        }

        if (quiet)
        {
            settings = settings with { Output = settings.Output with { Console = false } };
        }

        if (OutputDirectory.Prepare(settings) is { } unusable)
        {
            Console.Error.WriteLine($"actorvmm run: {unusable}");
            return 2;
        }

        var console = settings.Output.Console ? new PrefixedConsole(settings.Vms.Select(v => v.Name)) : (IConsoleOutput)SilentConsole.Instance;
        MonitorRun run;
        var interrupt = new RunInterrupt();
        var timeline = new PhysicalCpuTimeline();
        try
        {
            // SIGTERM and SIGINT stop a one-node run cleanly: the actors stop and the trace is
            // written out and closed, saying the run was interrupted. A second signal ends the process.
            using var term = nodes > 1 ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = interrupt.Interrupt("SIGTERM"));
            using var intr = nodes > 1 ? null : PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = interrupt.Interrupt("SIGINT"));
            run = ProgressDisplay.Around(settings, progress =>
            {
                var observer = timeline = new PhysicalCpuTimeline(progress);
                if (nodes > 1)
                {
                    var launcher = new ProcessNodeLauncher(logLevel);
                    // Interrupted, the run takes its nodes down with it before it goes; should
                    // even that be skipped (SIGKILL), each node sees its parent gone and stops.
                    using var clusterIntr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupted(c, launcher));
                    using var clusterTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupted(c, launcher));
                    return ClusterRun.ExecuteAsync(settings, console, nodes, launcher, observer: observer, akkaOverrides: akkaLogging).GetAwaiter().GetResult();
                }

                if (join.Length > 0)
                {
                    return ClusterRun.JoinAsync(settings, console, join, akkaOverrides: akkaLogging).GetAwaiter().GetResult();
                }

                return MonitorRun.Execute(settings, console, observer: observer, interrupt: interrupt);
            });
        }
        catch (Exception e) when (e is MachineConfigurationException or TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"actorvmm run: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (interrupt.Reason is { } signal)
        {
            string kept = settings.Trace.Enabled
                ? $"; the trace holds what was recorded up to there: {Path.GetFullPath(Path.Combine(settings.Output.Directory, settings.Trace.File))}"
                : "";
            Console.Error.WriteLine($"actorvmm run: interrupted by {signal}{kept}");
            return 128 + (signal == "SIGTERM" ? 15 : 2);
        }
        finally
        {
            Serilog.Log.CloseAndFlush();
        }

        var native = settings.Report.CompareNative ? NativeBaseline.Run(settings) : null;
        var trace = run.AllTraceFiles.Count == 0 ? null : TraceStatistics.Of(TraceSet.Open(run.AllTraceFiles.Where(File.Exists)));
        var report = RunReportBuilder.Build(run.Result, native, timeline, trace);
        Console.Out.Write(RunReportText.Format(report));
        if (native is not null)
        {
            Console.Out.Write(DiscoTables.Format(report));
        }

        if (settings.Sharing.Enabled)
        {
            Console.Out.Write(SharingTable.Format(report));
        }

        if (settings.Output.JsonReport)
        {
            string json = Path.GetFullPath(Path.Combine(settings.Output.Directory, OutputDirectory.ReportFile));
            OutputDirectory.WriteAtomically(json, System.Text.Json.JsonSerializer.Serialize(report, ReportJson.Options));
            Console.Out.WriteLine($"report: {json}");
        }
        if (trace is not null)
        {
            Console.Out.WriteLine();
            Console.Out.Write(TraceAnalysis.Summary(trace));
            string files = string.Join(" ", run.AllTraceFiles);
            Console.Out.WriteLine($"trace: {files} (actorvmm trace summary|flow|export|sql {files})");
        }

        if (settings.Report.Plots)
        {
            string plots = Path.GetFullPath(Path.Combine(settings.Output.Directory, "plots"));
            Console.Out.WriteLine($"plots: {plots} ({string.Join(", ", ReportPlots.Write(report, plots).Select(Path.GetFileName))})");
        }

        return run.Result.AllPoweredOffCleanly ? 0 : 1;
    }

    /// <summary>
    /// A cluster run that is interrupted stops its nodes and ends at once, with the shell's
    /// status for the signal: its result could only be partial, and leaving the cluster
    /// gracefully would wait on nodes that are gone.
    /// </summary>
    private static void Interrupted(PosixSignalContext signal, ProcessNodeLauncher launcher)
    {
        signal.Cancel = true;
        launcher.KillAll();
        Console.Error.WriteLine($"actorvmm run: interrupted by {signal.Signal}; the nodes it started are stopped");
        Serilog.Log.CloseAndFlush();
        Environment.Exit(128 + (signal.Signal == PosixSignal.SIGTERM ? 15 : 2));
    }

    /// <summary>Kernel paths relative to the working directory, else to the repository.</summary>
    public static string ResolveKernel(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        string inRepository = Path.Combine(RepositoryPaths.Root, path);
        return File.Exists(inRepository) ? inRepository : Path.GetFullPath(path);
    }
}
