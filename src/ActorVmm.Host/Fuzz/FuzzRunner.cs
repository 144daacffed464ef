using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ActorVmm.Host.Fuzz;

public sealed record FuzzOptions
{
    public long Cases { get; init; } = 1000;

    public ulong Seed { get; init; } = 1;

    /// <summary>Cases per generated program: many per program keeps the tool fast (one
    /// assembler, one qemu and one exec start per program, not per case).</summary>
    public int CasesPerProgram { get; init; } = 100;

    /// <summary>Where to keep the generated sources, ELFs and outputs; null: a temporary directory, deleted afterwards.</summary>
    public string? KeepDirectory { get; init; }

    /// <summary>Programs built and run at the same time.</summary>
    public int Jobs { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    public TimeSpan QemuTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public long InstructionLimit { get; init; } = 100_000_000;

    /// <summary>At most this many mismatching cases are reduced and reported in full.</summary>
    public int MaxReports { get; init; } = 3;

    /// <summary>Repository root (for guests/link/user.ld); null: found from the working directory.</summary>
    public string? RepositoryRoot { get; init; }
}

/// <summary>A case whose printed values (or exit status) differ between qemu-mipsel and exec.</summary>
/// <param name="Reduced">The smallest variant found that still differs (null when it stopped differing on its own).</param>
/// <param name="Report">Human-readable: the reduced case's assembler and both dumps.</param>
public sealed record FuzzMismatch(long CaseIndex, FuzzCase Original, FuzzCase? Reduced, string Report);

public sealed record FuzzSummary(
    ulong Seed,
    long CasesRun,
    int Programs,
    long MismatchedCases,
    IReadOnlyList<FuzzMismatch> Mismatches,
    IReadOnlyList<string> Errors,
    TimeSpan Elapsed)
{
    public bool Passed => MismatchedCases == 0 && Errors.Count == 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"fuzz: seed {Seed}: {CasesRun} cases in {Programs} programs, {MismatchedCases} mismatched, {Errors.Count} errors, {Elapsed.TotalSeconds:F1} s");
}

/// <summary>
/// The random-instruction differential fuzzer: generates programs of many cases, runs each
/// under qemu-mipsel and under exec, compares what every case printed, and reduces the
/// first few mismatching cases to the fewest items that still differ.
/// </summary>
/// <param name="underTest">Runs an ELF on the implementation under test with an instruction limit;
/// null: <see cref="GuestRunner.RunExec"/> (exec in process).</param>
public sealed class FuzzRunner(FuzzOptions options, TextWriter? progress = null, Func<string, long, GuestRun>? underTest = null)
{
    private readonly object _gate = new();

    public FuzzSummary Run()
    {
        var toolchain = CrossToolchain.Locate(options.RepositoryRoot);
        var clock = Stopwatch.StartNew();
        string directory = options.KeepDirectory ?? Path.Combine(Path.GetTempPath(), $"actorvmm-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        int programs = (int)((options.Cases + options.CasesPerProgram - 1) / options.CasesPerProgram);
        var mismatches = new List<FuzzMismatch>();
        var errors = new List<string>();
        long casesRun = 0, mismatched = 0, done = 0;
        int reports = 0;
        try
        {
            Parallel.For(0, programs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs) }, p =>
            {
                long first = (long)p * options.CasesPerProgram;
                long count = Math.Min(options.CasesPerProgram, options.Cases - first);
                var outcome = RunProgram(toolchain, directory, first, count);
                lock (_gate)
                {
                    casesRun += outcome.CasesRun;
                    mismatched += outcome.Mismatched.Count;
                    errors.AddRange(outcome.Errors);
                    done++;
                    progress?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{done}/{programs}] cases {first}..{first + count - 1}: {(outcome.Errors.Count > 0 ? "ERROR" : outcome.Mismatched.Count == 0 ? "ok" : $"{outcome.Mismatched.Count} MISMATCHED")}"));
                }

                foreach (var (c, qemu, exec) in outcome.Mismatched)
                {
                    if (Interlocked.Increment(ref reports) > options.MaxReports)
                    {
                        break;
                    }

                    var found = Reduce(toolchain, directory, c, qemu, exec);
                    lock (_gate)
                    {
                        mismatches.Add(found);
                        progress?.WriteLine(found.Report);
                    }
                }
            });
        }
        finally
        {
            if (options.KeepDirectory is null)
            {
                TryDelete(directory);
            }
        }

        clock.Stop();
        return new FuzzSummary(options.Seed, casesRun, programs, mismatched,
            [.. mismatches.OrderBy(m => m.CaseIndex)], errors, clock.Elapsed);
    }

    private sealed record ProgramOutcome(long CasesRun, List<(FuzzCase Case, uint[]? Qemu, uint[]? Exec)> Mismatched, List<string> Errors);

    private ProgramOutcome RunProgram(CrossToolchain toolchain, string directory, long first, long count)
    {
        var cases = new List<FuzzCase>();
        for (long i = first; i < first + count; i++)
        {
            cases.Add(FuzzGenerator.Generate(options.Seed, i));
        }

        string stem = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"fuzz-{options.Seed}-{first:D6}"));
        var (qemu, exec) = BuildAndRun(toolchain, stem, cases);
        var mismatched = new List<(FuzzCase, uint[]?, uint[]?)>();
        var errors = new List<string>();
        var qemuValues = FuzzProgram.Parse(qemu.Stdout);
        if (qemu.Status != 0 || qemuValues.Count != cases.Count)
        {
            // The oracle must run every case to the end: anything else is a generator bug.
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"{stem}.S: qemu-mipsel {(qemu.TimedOut ? "timed out" : $"exited with status {qemu.Status}")} after {qemuValues.Count} of {cases.Count} cases: {Encoding.UTF8.GetString(qemu.Stderr).Trim()}"));
            return new ProgramOutcome(0, mismatched, errors);
        }

        if (qemu.Status == exec.Status && qemu.Stdout.AsSpan().SequenceEqual(exec.Stdout))
        {
            return new ProgramOutcome(count, mismatched, errors);
        }

        var execValues = FuzzProgram.Parse(exec.Stdout);
        foreach (var c in cases)
        {
            var q = qemuValues[c.Index];
            execValues.TryGetValue(c.Index, out var e);
            if (e is null || !q.AsSpan().SequenceEqual(e))
            {
                mismatched.Add((c, q, e));
            }
        }

        if (mismatched.Count == 0)
        {
            // Same values, different bytes or status: charge it to the last case.
            mismatched.Add((cases[^1], qemuValues[cases[^1].Index], execValues.GetValueOrDefault(cases[^1].Index)));
        }

        return new ProgramOutcome(count, mismatched, errors);
    }

    private (GuestRun Qemu, GuestRun Exec) BuildAndRun(CrossToolchain toolchain, string stem, IReadOnlyList<FuzzCase> cases)
    {
        File.WriteAllText(stem + ".S", FuzzProgram.Render(cases, options.Seed));
        toolchain.AssembleAndLink(stem + ".S", stem + ".elf");
        var qemu = GuestRunner.RunQemu(stem + ".elf", [], options.QemuTimeout, qemu: CrossToolchain.Qemu);
        var exec = underTest is null
            ? GuestRunner.RunExec(stem + ".elf", [], options.InstructionLimit)
            : underTest(stem + ".elf", options.InstructionLimit);
        if (options.KeepDirectory is not null)
        {
            File.WriteAllBytes(stem + ".qemu.out", qemu.Stdout);
            File.WriteAllBytes(stem + ".exec.out", exec.Stdout);
        }

        return (qemu, exec);
    }

    private FuzzMismatch Reduce(CrossToolchain toolchain, string directory, FuzzCase original, uint[]? qemuValues, uint[]? execValues)
    {
        string stem = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"reduce-{options.Seed}-{original.Index}"));
        (GuestRun Qemu, GuestRun Exec)? last = null;

        // Still differs: the oracle ran it to the end, exec did not print the same.
        bool Differs(FuzzCase candidate)
        {
            if (!HiLoFlow.Check(candidate.Items, out _, out _))
            {
                return false;
            }

            var runs = BuildAndRun(toolchain, stem, [candidate]);
            if (runs.Qemu.Status != 0 || FuzzProgram.Parse(runs.Qemu.Stdout).Count != 1)
            {
                return false;
            }

            bool differs = runs.Qemu.Status != runs.Exec.Status || !runs.Qemu.Stdout.AsSpan().SequenceEqual(runs.Exec.Stdout);
            if (differs)
            {
                last = runs;
            }

            return differs;
        }

        if (!Differs(original))
        {
            string report = Describe(original, null, qemuValues, execValues, null,
                "(on its own the case does not differ: the mismatch depends on the cases before it)");
            return new FuzzMismatch(original.Index, original, null, report);
        }

        var reduced = FuzzReducer.Reduce(original, Differs, maxAttempts: 400);
        Differs(reduced); // leaves the runs of the final candidate in `last`
        var (q, e) = last!.Value;
        var qv = FuzzProgram.Parse(q.Stdout).Values.FirstOrDefault();
        var ev = FuzzProgram.Parse(e.Stdout).Values.FirstOrDefault();
        return new FuzzMismatch(original.Index, original, reduced, Describe(original, reduced, qv, ev, (q, e), null));
    }

    private string Describe(FuzzCase original, FuzzCase? reduced, uint[]? qemu, uint[]? exec, (GuestRun Qemu, GuestRun Exec)? runs, string? note)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv, $"MISMATCH: case {original.Index} of seed {options.Seed}{(note is null ? "" : " " + note)}");
        var shown = reduced ?? original;
        if (reduced is not null)
        {
            s.AppendLine(inv, $"reduced from {original.InstructionItems} to {reduced.InstructionItems} items:");
        }

        s.Append(FuzzProgram.RenderCase(shown));
        s.AppendLine("register     qemu-mipsel  exec");
        for (int i = 0; i < FuzzRegisters.DumpNames.Count; i++)
        {
            string qv = qemu is null ? "-" : qemu[i].ToString("x8", inv);
            string ev = exec is null || exec.Length <= i ? "-" : exec[i].ToString("x8", inv);
            s.AppendLine(inv, $"  {FuzzRegisters.DumpNames[i],-8}   {qv,-8}     {ev,-8}{(qv == ev ? "" : "   <-- differs")}");
        }

        if (runs is { } r)
        {
            s.AppendLine(inv, $"status: qemu-mipsel {r.Qemu.Status}, exec {r.Exec.Status}");
            if (r.Exec.Reason is { } reason)
            {
                s.AppendLine(reason.TrimEnd());
            }
        }

        return s.ToString();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
