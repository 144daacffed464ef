using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorVmm.EndToEnd.Tests.Harness;
using ActorVmm.Host.Fuzz;

namespace ActorVmm.EndToEnd.Tests;

/// <summary>
/// Random C programs (csmith seeds <see cref="FirstSeed"/>..<see cref="LastSeed"/>, built by
/// guests/csmith/build.sh at -O0/-O1/-O2/-Os by seed) print the same checksum and exit the
/// same under exec as under qemu-mipsel. Seeds that do not build, or that qemu does not
/// finish within <see cref="QemuTimeout"/> (csmith programs that loop for good: the ones that
/// finish do so in well under a second), are skipped and reported by number, never
/// silently; at least <see cref="MinCompared"/> programs must actually be compared.
/// </summary>
[Collection(GuestsCollection.Name)]
public sealed class CsmithDifferentialTests(GuestBuildFixture guests, ITestOutputHelper output)
{
    public const int FirstSeed = 1;
    public const int LastSeed = 250;
    public const int MinCompared = 200;
    public static readonly TimeSpan QemuTimeout = TimeSpan.FromSeconds(2);

    // Far above any seed qemu finishes in the time limit (exec runs only those).
    private const long InstructionLimit = 4_000_000_000;

    private enum Outcome
    {
        Same,
        Differs,
        BuildFailed,
        QemuTimedOut,
    }

    private sealed record SeedResult(int Seed, Outcome Outcome, string? Detail, TimeSpan Build, TimeSpan Qemu, TimeSpan Exec, long Instructions);

    [Fact]
    public void Csmith_programs_match_qemu()
    {
        GuestToolchain.RequireTools("csmith");
        var clock = Stopwatch.StartNew();
        string libc = guests.BuildDirectory;
        string outDir = guests.ScratchDirectory("csmith");
        string buildScript = Path.Combine(RepoRoot.Guests, "csmith", "build.sh");
        Assert.True(File.Exists(buildScript), $"{buildScript} is missing");

        var results = new ConcurrentBag<SeedResult>();
        Parallel.For(FirstSeed, LastSeed + 1, new ParallelOptions { MaxDegreeOfParallelism = 2 }, seed =>
            results.Add(RunSeed(seed, buildScript, libc, outDir)));
        clock.Stop();

        var bySeed = results.OrderBy(r => r.Seed).ToList();
        var compared = bySeed.Where(r => r.Outcome is Outcome.Same or Outcome.Differs).ToList();
        var differs = bySeed.Where(r => r.Outcome == Outcome.Differs).ToList();
        var timedOut = bySeed.Where(r => r.Outcome == Outcome.QemuTimedOut).Select(r => r.Seed).ToList();
        var buildFailed = bySeed.Where(r => r.Outcome == Outcome.BuildFailed).ToList();
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"""
            csmith seeds {FirstSeed}..{LastSeed}: {compared.Count} compared, {differs.Count} differ, {timedOut.Count + buildFailed.Count} skipped in {clock.Elapsed.TotalSeconds:F1} s
              skipped, qemu did not finish within {QemuTimeout.TotalSeconds:F0} s ({timedOut.Count}): {string.Join(' ', timedOut)}
              skipped, did not build ({buildFailed.Count}): {string.Join(' ', buildFailed.Select(r => r.Seed))}
              time summed over seeds: build {Sum(r => r.Build):F1} s, qemu {Sum(r => r.Qemu):F1} s, exec {Sum(r => r.Exec):F1} s ({compared.Sum(r => r.Instructions):N0} instructions)
            """);
        output.WriteLine(summary);
        foreach (var r in buildFailed)
        {
            output.WriteLine($"seed {r.Seed} did not build: {r.Detail}");
        }

        var failure = new StringBuilder(summary).AppendLine();
        foreach (var r in differs)
        {
            failure.AppendLine(CultureInfo.InvariantCulture, $"seed {r.Seed} ({Level(r.Seed)}, {outDir}/csmith-{r.Seed}.c): exec differs from qemu-mipsel");
            failure.AppendLine(r.Detail);
        }

        Assert.True(differs.Count == 0, failure.ToString());
        Assert.True(compared.Count >= MinCompared, $"only {compared.Count} csmith programs compared, fewer than {MinCompared}\n{summary}");

        double Sum(Func<SeedResult, TimeSpan> f) => bySeed.Sum(r => f(r).TotalSeconds);
    }

    private static SeedResult RunSeed(int seed, string buildScript, string libc, string outDir)
    {
        var clock = Stopwatch.StartNew();
        string elf;
        try
        {
            string printed = GuestToolchain.Run("/bin/sh", [buildScript, seed.ToString(CultureInfo.InvariantCulture), outDir],
                environment: new Dictionary<string, string> { ["LIBC_BUILD"] = libc });
            elf = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        }
        catch (InvalidOperationException e)
        {
            return new SeedResult(seed, Outcome.BuildFailed, e.Message.Trim(), clock.Elapsed, default, default, 0);
        }

        var build = clock.Elapsed;
        var qemu = GuestToolchain.RunQemu(elf, [], QemuTimeout);
        if (qemu.TimedOut)
        {
            return new SeedResult(seed, Outcome.QemuTimedOut, null, build, qemu.Elapsed, default, 0);
        }

        var exec = GuestToolchain.RunExec(elf, [], InstructionLimit);
        string? difference = OutputDiff.Describe(qemu, exec);
        return new SeedResult(seed, difference is null ? Outcome.Same : Outcome.Differs, difference, build, qemu.Elapsed, exec.Elapsed, exec.Instructions);
    }

    private static string Level(int seed) => (seed % 4) switch { 0 => "-O0", 1 => "-O1", 2 => "-O2", _ => "-Os" };
}
