using System.CommandLine;
using System.Text.Json;
using ActorVmm.Host.Reports;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm report plot REPORT.json -o DIR</c>: the report's charts.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Work with the report a run writes (report.json).");
        var file = new Argument<FileInfo>("report") { Description = "The report (report.json in the run's output directory)." };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The directory for the charts.", Required = true };
        var plot = new Command("plot", "Charts of a report, as PNG and SVG: Disco's Figure 5 form, trap latency histograms, physical CPUs busy/idle over simulated time.") { file, output };
        plot.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            RunReportModel? report;
            try
            {
                report = JsonSerializer.Deserialize<RunReportModel>(File.ReadAllText(path.FullName), ReportJson.Options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
            {
                Console.Error.WriteLine($"actorvmm report plot: {path.FullName}: {e.Message}");
                return 2;
            }

            if (report?.Vms is null)
            {
                Console.Error.WriteLine($"actorvmm report plot: {path.FullName} is not a report written by actorvmm run");
                return 2;
            }

            string directory = parse.GetValue(output)!.FullName;
            var files = ReportPlots.Write(report, directory);
            Console.Out.WriteLine($"{directory}: {string.Join(", ", files.Select(Path.GetFileName))}");
            if (report.TrapLatencies is null)
            {
                Console.Error.WriteLine("actorvmm report plot: the run was not traced, so there is no trap latency histogram");
            }

            return 0;
        });
        command.Subcommands.Add(plot);
        return command;
    }
}
