using System.CommandLine;
using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Monitor.Tracing;
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
        var command = new Command("run", "Run a scenario: guest kernels under the monitor, with the report and the trace summary at the end.")
        {
            scenario, noTrace, output, quiet,
        };
        command.SetAction(parse => Run(parse.GetValue(scenario), parse.GetValue(noTrace), parse.GetValue(output), parse.GetValue(quiet)));
        return command;
    }

    private static int Run(FileInfo? scenarioFile, bool noTrace, string? outputOverride, bool quiet)
    {
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

        if (quiet)
        {
            settings = settings with { Output = settings.Output with { Console = false } };
        }

        var console = settings.Output.Console ? new PrefixedConsole(settings.Vms.Select(v => v.Name)) : (IConsoleOutput)SilentConsole.Instance;
        MonitorRun run;
        try
        {
            run = ProgressDisplay.Around(settings, observer => MonitorRun.Execute(settings, console, observer: observer));
        }
        catch (MachineConfigurationException e)
        {
            Console.Error.WriteLine($"actorvmm run: {e.Message}");
            return 2;
        }

        var native = settings.Report.CompareNative ? NativeBaseline.Run(settings) : null;
        var report = RunReportBuilder.Build(run.Result, native);
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
            Directory.CreateDirectory(settings.Output.Directory);
            string json = Path.GetFullPath(Path.Combine(settings.Output.Directory, "report.json"));
            File.WriteAllText(json, System.Text.Json.JsonSerializer.Serialize(report, ReportJson.Options));
            Console.Out.WriteLine($"report: {json}");
        }
        if (run.TracePath is not null)
        {
            Console.Out.WriteLine();
            Console.Out.Write(TraceAnalysis.Summary(TraceReader.Open(run.TracePath)));
            Console.Out.WriteLine($"trace: {run.TracePath} (actorvmm trace summary|flow {run.TracePath})");
        }

        return run.Result.AllPoweredOffCleanly ? 0 : 1;
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
