using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ActorVmm.EndToEnd.Tests.Harness;
using ActorVmm.EndToEnd.Tests.Monitor;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Cluster;

/// <summary>
/// <c>actorvmm run --nodes 3</c> as a user runs it: real node processes on loopback, the
/// consoles labelled with each VM's node, and not one process left behind — after a run that
/// succeeds, one whose VM fails, one interrupted with SIGINT, and one killed outright.
/// </summary>
public sealed class ClusterProcessTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(3);

    /// <summary>How long a node may take to notice its run is gone (it looks four times a second).</summary>
    private static readonly TimeSpan OrphanDeadline = TimeSpan.FromSeconds(20);

    [Fact]
    public void A_run_on_three_node_processes_spreads_its_vms_prints_them_labelled_and_leaves_no_process()
    {
        string scenario = Scenario("spread", $$"""
            { name = "compute",  cmdline = "run=compute",          node = 0 }
            { name = "syscalls", cmdline = "run=syscalls",         node = 1 }
            { name = "pmake",    cmdline = "run=pmake:2:4",        node = 2 }
            """);

        var (status, stdout, stderr, pid) = RunToEnd(scenario);

        output.WriteLine(stderr);
        Assert.Equal(0, status);
        Assert.Contains("[compute@node0] ", stdout);
        Assert.Contains("[syscalls@node1] ", stdout);
        Assert.Contains("[pmake@node2] ", stdout);
        Assert.Contains("powered off", stdout);
        Assert.Empty(NodesOf(pid, OrphanDeadline));
    }

    [Fact]
    public void A_run_whose_vm_fails_on_another_node_reports_it_exits_1_and_leaves_no_process()
    {
        string scenario = Scenario("failing", $$"""
            { name = "compute", cmdline = "run=compute", node = 0 }
            { name = "crash",   kernel = "{{guests.Crash}}", node = 1 }
            """);

        var (status, stdout, _, pid) = RunToEnd(scenario);

        Assert.Equal(1, status);
        Assert.Contains("[crash@node1] crash: jumping to 0x12340000", stdout);
        Assert.Empty(NodesOf(pid, OrphanDeadline));
    }

    [Theory]
    [InlineData(2)] // SIGINT (^C): the run takes its nodes down
    [InlineData(15)] // SIGTERM: the same
    [InlineData(9)] // SIGKILL: the nodes see their run gone and stop themselves
    public async Task A_run_stopped_by_a_signal_mid_run_leaves_no_process(int signal)
    {
        string scenario = Scenario($"signal{signal}", $$"""
            { name = "long-a", cmdline = "run=raytrace:320:240", node = 1 }
            { name = "long-b", cmdline = "run=raytrace:320:240", node = 2 }
            """);
        // As from a terminal: a process started in the background of a shell ignores SIGINT,
        // and the test host may be one.
        var start = Actorvmm("run", "--no-trace", scenario, "--nodes", "3");
        start.ArgumentList.Insert(0, start.FileName);
        start.ArgumentList.Insert(0, "--default-signal=INT,TERM");
        start.FileName = "env";
        using var run = Start(start);
        var stderr = run.StandardError.ReadToEndAsync();
        try
        {
            // The first labelled line comes from a VM on another node: the cluster is up and running.
            using var deadline = new CancellationTokenSource(RunDeadline);
            string? line;
            do
            {
                line = await run.StandardOutput.ReadLineAsync(deadline.Token);
                Assert.NotNull(line);
            }
            while (!line.Contains("@node"));

            Assert.Equal(2, NodesOf(run.Id, TimeSpan.Zero).Count);
            Assert.Equal(0, Kill(run.Id, signal));
            using var ended = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await run.WaitForExitAsync(ended.Token);
            Assert.Equal(128 + signal, run.ExitCode);
            Assert.Empty(NodesOf(run.Id, OrphanDeadline));
        }
        finally
        {
            foreach (int node in NodesOf(run.Id, TimeSpan.Zero))
            {
                Kill(node, 9);
            }

            if (!run.HasExited)
            {
                run.Kill(entireProcessTree: true);
            }

            await run.WaitForExitAsync();
            output.WriteLine(await stderr);
        }
    }

    private string Scenario(string name, string vms)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"actorvmm-cluster-processes-{Environment.ProcessId}-{name}");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "scenario.conf");
        File.WriteAllText(path, $$"""
            actorvmm {
              output { directory = "{{directory}}", progress = off, json-report = off }
              vm-defaults { kernel = "{{guests.KernelFile}}", memory = 8M }
              cluster {
                node { physical-cpus = 1, memory = 64M }
                migration.policy = off
              }
              vms = [
            {{vms}}
              ]
            }
            """);
        return path;
    }

    private (int Status, string Stdout, string Stderr, int Pid) RunToEnd(string scenario)
    {
        using var run = Start(Actorvmm("run", "--no-trace", scenario, "--nodes", "3"));
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        if (!run.WaitForExit(RunDeadline))
        {
            foreach (int node in NodesOf(run.Id, TimeSpan.Zero))
            {
                Kill(node, 9);
            }

            run.Kill(entireProcessTree: true);
            Assert.Fail($"actorvmm run --nodes 3 did not end within {RunDeadline}");
        }

        run.WaitForExit();
        return (run.ExitCode, stdout.Result, stderr.Result, run.Id);
    }

    /// <summary>
    /// The node processes a run started, found by the <c>--parent-pid</c> each one is given;
    /// waits up to <paramref name="patience"/> for them to be gone.
    /// </summary>
    private static List<int> NodesOf(int runPid, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var nodes = new List<int>();
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    continue;
                }

                try
                {
                    string[] argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                    int at = Array.IndexOf(argv, "--parent-pid");
                    if (at >= 0 && at + 1 < argv.Length && argv[at + 1] == runPid.ToString(CultureInfo.InvariantCulture) && !Zombie(dir))
                    {
                        nodes.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // the process went while we looked
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            if (nodes.Count == 0 || clock.Elapsed >= patience)
            {
                return nodes;
            }

            Thread.Sleep(100);
        }
    }

    private static bool Zombie(string procDirectory) =>
        File.ReadAllText(Path.Combine(procDirectory, "stat")).Split(") ", 2) is [_, var rest] && rest.StartsWith('Z');

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static ProcessStartInfo Actorvmm(params string[] arguments) => HostProcess.Actorvmm(arguments);

    private static Process Start(ProcessStartInfo start) => HostProcess.Start(start);
}
