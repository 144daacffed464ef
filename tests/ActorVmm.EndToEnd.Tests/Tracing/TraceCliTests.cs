using System.Diagnostics;
using ActorVmm.Host.Reports;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.EndToEnd.Tests.Tracing;

/// <summary>
/// The <c>actorvmm</c> command on damaged traces and interrupted runs, as a user meets them:
/// a clear message and an exit status, never a stack trace; a run stopped by SIGTERM or
/// SIGINT leaves a trace that was closed cleanly and says so.
/// </summary>
[Collection(TracedRunCollection.Name)]
public sealed class TraceCliTests(TracedRunFixture run)
{
    private static readonly string Actorvmm = Path.Combine(AppContext.BaseDirectory, "actorvmm");

    [Theory]
    [InlineData("one byte short")]
    [InlineData("half")]
    [InlineData("five flipped bytes")]
    public void Trace_summary_of_a_damaged_trace_reports_what_it_recovered_and_exits_1(string damage)
    {
        string path = run.OutputFile("damaged.avtrace");
        var bytes = File.ReadAllBytes(run.TracePath);
        switch (damage)
        {
            case "one byte short":
                bytes = bytes[..^1];
                break;
            case "half":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            default:
                var random = new Random(10);
                for (int i = 0; i < 5; i++)
                {
                    bytes[random.Next(200, bytes.Length)] ^= 0x81;
                }

                break;
        }

        File.WriteAllBytes(path, bytes);

        var (status, stdout, stderr) = Actor("trace", "summary", path);

        Assert.Equal(1, status);
        Assert.Contains("trace of test scenario", stdout);
        Assert.DoesNotContain("Unhandled", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Matches(damage == "five flipped bytes" ? "fails its checksum: its [0-9,]+ records are lost" : "trace ends early at record [0-9,]+: the run was interrupted", stderr);
    }

    [Fact]
    public void Trace_summary_of_an_intact_trace_exits_0_without_findings()
    {
        var (status, stdout, stderr) = Actor("trace", "summary", run.TracePath);

        Assert.Equal(0, status);
        Assert.Contains("trap round trip", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void A_file_that_is_not_a_trace_exits_2_with_one_line()
    {
        var (status, _, stderr) = Actor("trace", "export", run.Guests.KernelFile, "--format", "perfetto", "-o", run.OutputFile("x.json"));

        Assert.Equal(2, status);
        Assert.Equal($"actorvmm trace: {run.Guests.KernelFile} is not an ActorVmm trace (it should start with AVMTRC03)", stderr.Trim());
    }

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task A_run_stopped_by_a_signal_closes_its_trace_with_every_record_it_made(string signal, int status)
    {
        string output = Path.Combine(Path.GetDirectoryName(run.TracePath)!, $"signal-{signal}-{Guid.NewGuid():N}");
        string scenario = Path.Combine(output, "long.conf");
        Directory.CreateDirectory(output);
        File.WriteAllText(scenario, $$"""
            actorvmm {
              machine.physical-cpus = 1
              vm-defaults.kernel = "{{run.Guests.KernelFile}}"
              output { directory = "{{output}}", console = off, progress = off }
              vms = [ { name = a, cmdline = "run=engineering" }, { name = b, cmdline = "run=engineering" }, { name = c, cmdline = "run=engineering" } ]
            }
            """);
        string trace = Path.Combine(output, "trace.avtrace");
        // A test run started in the background by a non-interactive shell ignores SIGINT, and
        // ignored signals survive exec: give the run the default dispositions, as a user's
        // terminal does, so the test does not depend on how the suite was started.
        using var process = Start(["run", scenario], defaultSignals: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            // Signal once the run is under way: the trace holds its first blocks.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!(File.Exists(trace) && new FileInfo(trace).Length > 64 * 1024) && DateTime.UtcNow < until && !process.HasExited)
            {
                await Task.Delay(50);
            }

            if (process.HasExited)
            {
                Assert.Fail("the run ended before it could be interrupted: " + await errors);
            }

            Assert.True(File.Exists(trace) && new FileInfo(trace).Length > 64 * 1024, $"the trace did not grow: {(File.Exists(trace) ? new FileInfo(trace).Length : -1)} bytes; {string.Join(", ", Directory.GetFiles(output))}");
            using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(patience.Token);
            string stderr = await errors;
            await stdout;
            Assert.True(status == process.ExitCode, $"exit status {process.ExitCode}; {stderr}");
            Assert.Contains($"interrupted by SIG{signal}", stderr);

            var reader = TraceReader.Open(trace);
            Assert.True(reader.Integrity.Intact, string.Join("; ", reader.Integrity.Findings()));
            Assert.True(reader.Integrity.Interrupted);
            Assert.Equal(reader.Integrity.End!.Records, reader.Stream().LongCount());
            Assert.True(reader.RecordCount > 10_000);
            Assert.Contains($"the run was interrupted (SIG{signal})", string.Join("\n", reader.Integrity.Findings()));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
    }

    [Fact]
    public void Report_plot_writes_nonempty_charts_from_a_report_json()
    {
        string report = run.OutputFile("report.json");
        File.WriteAllText(report, System.Text.Json.JsonSerializer.Serialize(run.Report, ReportJson.Options));
        string directory = run.OutputFile("plots");

        var (status, stdout, stderr) = Actor("report", "plot", report, "-o", directory);

        Assert.True(status == 0, stderr);
        Assert.Contains("figure5.png", stdout);
        foreach (string chart in new[] { "figure5", "trap-latency", "physical-cpus" })
        {
            var png = File.ReadAllBytes(Path.Combine(directory, chart + ".png"));
            Assert.True(png.Length > 10_000, $"{chart}.png is {png.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            string svg = File.ReadAllText(Path.Combine(directory, chart + ".svg"));
            Assert.Contains("<svg", svg);
            Assert.Contains("<path", svg);
        }
    }

    private static (int Status, string Stdout, string Stderr) Actor(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"actorvmm {string.Join(' ', args)} did not finish");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static Process Start(string[] args, bool defaultSignals = false)
    {
        var start = new ProcessStartInfo(defaultSignals ? "env" : Actorvmm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (defaultSignals)
        {
            start.ArgumentList.Add("--default-signal=INT,TERM");
            start.ArgumentList.Add(Actorvmm);
        }

        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Actorvmm}");
    }
}
