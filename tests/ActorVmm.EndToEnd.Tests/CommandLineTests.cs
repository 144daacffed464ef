using System.Diagnostics;
using ActorVmm.EndToEnd.Tests.Harness;

namespace ActorVmm.EndToEnd.Tests;

/// <summary>
/// The actorvmm command as a user runs it, in a process of its own (issue 10): a scenario
/// that Akka's parser would crash or hang on ends in one line and status 2; exec and boot
/// refuse a path that is not a program before reading it; and what a guest writes reaches
/// exec's stdout when the guest writes it, so that killing exec (timeout, ^C) loses nothing,
/// as with qemu-mipsel.
/// </summary>
[Collection(GuestsCollection.Name)]
public sealed class CommandLineTests(GuestBuildFixture guests)
{
    /// <summary>Long enough for a loaded machine to start .NET and the guest; a buffered line never comes, a hang never ends.</summary>
    private static readonly TimeSpan LineDeadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("a = ${b}\nb = ${a}\n", "line 1: a = ${b}: substitutions are not supported in a scenario; write the value itself")]
    [InlineData("actorvmm { vms = [{name = ${?NOPE}}] }\n", "line 1: actorvmm.vms[0].name = ${?NOPE}: substitutions are not supported in a scenario; write the value itself")]
    [InlineData("actorvmm { vms = [{name = {x = 1}}] }\n", "actorvmm.vms[0].name must be a single value, not an object")]
    public void A_scenario_akka_would_crash_or_hang_on_ends_in_one_line_and_status_2(string scenario, string problem)
    {
        string path = Path.Combine(guests.ScratchDirectory("hostile-scenarios"), $"{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, scenario);
        var (status, stdout, stderr) = RunToEnd(Actorvmm("run", "--no-trace", path));

        Assert.Equal($"actorvmm run: {Path.GetFileName(path)}: {problem}\n", stderr);
        Assert.Equal("", stdout);
        Assert.Equal(2, status);
    }

    [Theory]
    [InlineData("exec", 126)]
    [InlineData("boot", 2)]
    public void A_device_given_as_the_program_is_refused_before_it_is_read(string command, int status)
    {
        var (exit, stdout, stderr) = RunToEnd(Actorvmm(command, "/dev/zero"));

        Assert.Equal(
            $"actorvmm {command}: cannot read /dev/zero: it is empty or not a regular file (a device, a pipe): an ELF executable is a regular file\n",
            stderr);
        Assert.Equal("", stdout);
        Assert.Equal(status, exit);
    }

    [Fact]
    public void An_output_directory_that_cannot_be_written_is_refused_before_the_run_starts()
    {
        var (status, stdout, stderr) = RunToEnd(Actorvmm("run", "--output", "/etc/passwd/out"));

        Assert.StartsWith("actorvmm run: output.directory /etc/passwd/out cannot be written", stderr);
        Assert.Equal("", stdout); // no VM ran
        Assert.Equal(2, status);
    }

    [Fact]
    public void A_new_run_removes_the_last_runs_report_and_traces_before_it_starts()
    {
        string output = guests.ScratchDirectory("stale-outputs");
        File.WriteAllText(Path.Combine(output, "report.json"), "{ \"from\": \"the last run\" }");
        File.WriteAllText(Path.Combine(output, "trace-node7.avtrace"), "a trace of the last run");
        string scenario = Path.Combine(output, "quick.conf");
        File.WriteAllText(scenario, """
            actorvmm {
              output { json-report = off, console = off, progress = off }
              trace.enabled = off
              vms = [ { name = quick, cmdline = "run=sleeper idle=wait" } ]
            }
            """);

        var (status, _, stderr) = RunToEnd(Actorvmm("run", "--output", output, scenario));

        Assert.Equal("", stderr);
        Assert.Equal(0, status);
        Assert.False(File.Exists(Path.Combine(output, "report.json")), "the last run's report would pass for this one's");
        Assert.False(File.Exists(Path.Combine(output, "trace-node7.avtrace")));
    }

    [Fact]
    public void A_line_the_guest_wrote_is_out_when_exec_is_killed_as_under_qemu()
    {
        GuestToolchain.RequireTools();
        string elf = guests.ProgramPath("conformance/write_then_spin-O2.elf");
        var qemu = new ProcessStartInfo("qemu-mipsel") { ArgumentList = { "-cpu", "24Kc", elf, "spin" } };

        Assert.Equal("written before spinning", FirstLineThenKill(qemu));
        Assert.Equal("written before spinning", FirstLineThenKill(Actorvmm("exec", elf, "spin")));
    }

    /// <summary>Status and output of a run that must end by itself; one that does not is killed and fails the test.</summary>
    private static (int Status, string Stdout, string Stderr) RunToEnd(ProcessStartInfo start)
    {
        using var process = Start(start);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(LineDeadline))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"actorvmm {string.Join(' ', start.ArgumentList.Skip(1))} did not end within {LineDeadline.TotalSeconds} s");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The first line the process prints while it still runs; then it is killed.</summary>
    private static string FirstLineThenKill(ProcessStartInfo start)
    {
        using var process = Start(start);
        try
        {
            var line = process.StandardOutput.ReadLineAsync();
            Assert.True(line.Wait(LineDeadline), $"{start.FileName} printed no line within {LineDeadline.TotalSeconds} s although the guest wrote one at its start");
            Assert.False(process.HasExited, $"{start.FileName} ended (status {(process.HasExited ? process.ExitCode : 0)}) instead of spinning");
            return line.Result ?? "(end of output)";
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>actorvmm as <see cref="HostProcess"/> runs it, its heap bounded.</summary>
    private static ProcessStartInfo Actorvmm(params string[] arguments)
    {
        var start = HostProcess.Actorvmm(arguments);
        // Should reading /dev/zero whole come back, fail at 512 MB instead of taking the machine's memory.
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x20000000";
        return start;
    }

    private static Process Start(ProcessStartInfo start) => HostProcess.Start(start);
}
