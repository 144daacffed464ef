using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ActorVmm.EndToEnd.Tests.Harness;

namespace ActorVmm.EndToEnd.Tests.Checkpoint;

/// <summary>
/// The issue's "done when": `actorvmm run hocon/scenarios/two-guests.conf` with checkpoints
/// on, killed with SIGKILL at seeded moments (whenever its checkpoint store has grown past a
/// seeded size: mid-epoch, mid-checkpoint, mid-console-line alike) and resumed with --resume
/// each time, prints each VM's console exactly as an uninterrupted run does: the
/// concatenated output of all the processes, VM by VM, byte for byte, and each VM's console
/// file equals it too. (Lines of different VMs interleave differently from run to run
/// anyway; each VM's own stream is the promise.)
/// </summary>
[Collection(GuestsCollection.Name)]
public sealed partial class KillAndResumeTests(GuestBuildFixture guests)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(12)]
    [InlineData(31)]
    public void Killed_with_sigkill_and_resumed_it_prints_each_vms_console_of_an_uninterrupted_run(int seed)
    {
        string scratch = guests.ScratchDirectory($"kill-resume-{seed}-{Guid.NewGuid():N}");
        string scenario = Path.Combine(scratch, "two-guests.conf");
        File.WriteAllText(scenario, File.ReadAllText(Path.Combine(RepoRoot.Path, "hocon", "scenarios", "two-guests.conf"))
            + "\nactorvmm.checkpoint.every = 4000000\n");
        string output = Path.Combine(scratch, "out");

        var (referenceStatus, reference) = Run(null, [Path.Combine(RepoRoot.Path, "hocon", "scenarios", "two-guests.conf"), "--no-trace", "--output", Path.Combine(scratch, "reference")]);
        Assert.Equal(0, referenceStatus);
        var expected = ConsoleLines(reference);
        Assert.Equal(["pmake", "raytrace"], expected.Keys.Order());

        var random = new Random(seed);
        var printed = new StringBuilder();
        string last = "";
        string db = Path.Combine(output, "checkpoints.db");
        int kills = 0;
        bool resume = false;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long size = File.Exists(db) ? new FileInfo(db).Length : 0;
            long killAt = size + random.Next(400_000, 1_600_000);
            var (status, stdout) = Run(() => File.Exists(db) && new FileInfo(db).Length >= killAt, Arguments(scenario, output, resume));
            printed.Append(stdout);
            last = stdout;
            resume = true;
            if (status is null)
            {
                kills++;
            }
            else
            {
                Assert.Equal(0, status);
                break;
            }
        }

        if (kills == 3)
        {
            var (status, stdout) = Run(null, Arguments(scenario, output, resume: true));
            Assert.Equal(0, status);
            printed.Append(stdout);
            last = stdout;
        }

        Assert.True(kills >= 1, "the run was never killed: the store did not grow as expected");
        // The last run continued from checkpoints rather than booting the VMs again.
        Assert.True(Epochs(last) < Epochs(reference), $"the resumed run took {Epochs(last)} epochs, an uninterrupted one {Epochs(reference)}: it did not start from a checkpoint");
        var actual = ConsoleLines(printed.ToString());
        foreach (var (vm, lines) in expected)
        {
            Assert.Equal(string.Join('\n', lines), string.Join('\n', actual.GetValueOrDefault(vm) ?? []));
            string file = Directory.GetFiles(output, $"console-*-{vm}.txt").Single();
            Assert.Equal(string.Join("", lines.Select(l => l + "\n")), File.ReadAllText(file, Encoding.Latin1));
        }
    }

    [Fact]
    public void A_finished_run_is_listed_reported_not_rerun_on_resume_and_a_vm_restores_from_any_checkpoint()
    {
        string scratch = guests.ScratchDirectory($"checkpoint-cli-{Guid.NewGuid():N}");
        string scenario = Path.Combine(scratch, "two-guests.conf");
        File.WriteAllText(scenario, File.ReadAllText(Path.Combine(RepoRoot.Path, "hocon", "scenarios", "two-guests.conf"))
            + "\nactorvmm.checkpoint.every = 4000000\n");
        string output = Path.Combine(scratch, "out");
        var (_, reference) = Run(null, Arguments(scenario, output, resume: false));
        var raytrace = ConsoleLines(reference)["raytrace"];

        var (_, list) = Run(null, ["checkpoint", "list", scenario, "--output", output]);
        Assert.Matches(@"(?m)^pmake \(vm1\): 1\d checkpoints, then powered off \(status 0\)$", list);
        Assert.Matches(@"(?m)^raytrace \(vm2\): 5 checkpoints, then powered off \(status 0\)$", list);
        Assert.Matches(@"(?m)^ +1 +2 +4,000,000 ", list); // checkpoint 1 after epoch 2, at cycle 4,000,000

        var (_, resumed) = Run(null, Arguments(scenario, output, resume: true));
        Assert.Empty(ConsoleLines(resumed)); // both had powered off: nothing runs, nothing is shown again
        Assert.Equal(0, Epochs(resumed));

        var (_, restored) = Run(null, ["checkpoint", "restore", scenario, "raytrace@2", "--output", output]);
        var tail = ConsoleLines(restored)["raytrace"];
        Assert.InRange(tail.Count, 1, raytrace.Count - 1);
        Assert.Equal(raytrace.Skip(raytrace.Count - tail.Count), tail);
        string instructions = Regex.Match(reference, @"raytrace \(vm2\): powered off, status 0\n  guest instructions +([\d,]+)").Groups[1].Value;
        Assert.Contains($"raytrace: poweredoff, status 0; {instructions} guest instructions in all", restored);
        // pmake writes all along: its last checkpoint is nearer the end than its second.
        var (_, fromSecond) = Run(null, ["checkpoint", "restore", scenario, "pmake@2", "--output", output]);
        var (_, fromLast) = Run(null, ["checkpoint", "restore", scenario, "pmake", "--output", output]);
        Assert.True(ConsoleLines(fromLast)["pmake"].Count < ConsoleLines(fromSecond)["pmake"].Count, "restoring the last checkpoint re-ran as much as restoring checkpoint 2");
    }

    private static string[] Arguments(string scenario, string output, bool resume) =>
        resume ? ["run", scenario, "--no-trace", "--output", output, "--resume"] : ["run", scenario, "--no-trace", "--output", output];

    /// <summary>Each VM's console lines, in order, from the "[name] text" lines of one or more runs' stdout.</summary>
    private static Dictionary<string, List<string>> ConsoleLines(string stdout)
    {
        var byVm = new Dictionary<string, List<string>>();
        foreach (string line in stdout.Split('\n'))
        {
            var m = ConsoleLine().Match(line);
            if (m.Success)
            {
                string vm = m.Groups[1].Value.TrimEnd();
                (byVm.TryGetValue(vm, out var lines) ? lines : byVm[vm] = []).Add(m.Groups[2].Value);
            }
        }

        return byVm;
    }

    private static int Epochs(string stdout) => int.Parse(EpochsLine().Match(stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"simulated cycles in (\d+) epochs")]
    private static partial Regex EpochsLine();

    [GeneratedRegex(@"^\[([^\]]+)\] (.*)$")]
    private static partial Regex ConsoleLine();

    /// <summary>
    /// Runs actorvmm until it ends (its status) or, once <paramref name="killWhen"/> holds,
    /// kills it with SIGKILL (null). The process never outlives the call.
    /// </summary>
    private static (int? Status, string Stdout) Run(Func<bool>? killWhen, string[] arguments)
    {
        using var process = HostProcess.Start(HostProcess.Actorvmm(arguments[0] is "run" or "checkpoint" ? arguments : ["run", .. arguments]));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!process.HasExited)
            {
                if (killWhen?.Invoke() == true)
                {
                    process.Kill(); // SIGKILL on Linux
                    process.WaitForExit();
                    return (null, stdout.Result);
                }

                Assert.True(clock.Elapsed < Deadline, $"actorvmm {string.Join(' ', arguments)} did not end within {Deadline.TotalSeconds} s");
                Thread.Sleep(2);
            }

            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"actorvmm {string.Join(' ', arguments)} ended with status {process.ExitCode}: {stderr.Result}");
            return (process.ExitCode, stdout.Result);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
