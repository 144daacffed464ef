using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ActorVmm.EndToEnd.Tests.Harness;
using ActorVmm.Host.Fuzz;

namespace ActorVmm.EndToEnd.Tests;

/// <summary>
/// The random-instruction differential fuzzer (<c>actorvmm fuzz</c>): fixed seeds, so a
/// failure repeats; and the fuzzer's own parts (generator, HI/LO flow, reducer, reporting).
/// </summary>
public sealed class FuzzDifferentialTests(ITestOutputHelper output)
{
    public const int CasesPerSeed = 2000;

    public static TheoryData<ulong> Seeds() => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_instruction_cases_match_qemu(ulong seed)
    {
        GuestToolchain.RequireTools();
        var summary = new FuzzRunner(new FuzzOptions
        {
            Seed = seed,
            Cases = CasesPerSeed,
            Jobs = 2,
            RepositoryRoot = RepoRoot.Path,
        }).Run();
        output.WriteLine(summary.ToString());
        var failure = new StringBuilder();
        foreach (string e in summary.Errors)
        {
            failure.AppendLine(e);
        }

        foreach (var m in summary.Mismatches)
        {
            failure.AppendLine(m.Report);
        }

        Assert.True(summary.Passed, $"{summary}\nrepeat with: actorvmm fuzz --seed {seed} --cases {CasesPerSeed}\n{failure}");
        Assert.Equal(CasesPerSeed, summary.CasesRun);
    }

    [Fact]
    public void Generator_is_a_function_of_seed_and_case()
    {
        string a = FuzzProgram.RenderCase(FuzzGenerator.Generate(7, 42));
        string b = FuzzProgram.RenderCase(FuzzGenerator.Generate(7, 42));
        Assert.Equal(a, b);
        Assert.NotEqual(a, FuzzProgram.RenderCase(FuzzGenerator.Generate(7, 43)));
        Assert.NotEqual(a, FuzzProgram.RenderCase(FuzzGenerator.Generate(8, 42)));
    }

    [Fact]
    public void Generated_cases_cover_the_instruction_classes_and_never_read_unpredictable_hilo()
    {
        var mnemonics = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 2000; i++)
        {
            var c = FuzzGenerator.Generate(11, i);
            Assert.True(HiLoFlow.Check(c.Items, out _, out _), $"case {i} reads HI/LO after MUL:\n{FuzzProgram.RenderCase(c)}");
            Assert.InRange(c.InstructionItems, FuzzGenerator.MinItems, FuzzGenerator.MaxItems);
            foreach (string line in c.Items.SelectMany(item => item.Lines))
            {
                mnemonics.Add(line.Split(' ')[0]);
            }
        }

        string[] required =
        [
            "addu", "subu", "and", "or", "xor", "nor", "add", "sub", "addi", "addiu", "andi", "ori", "xori", "lui",
            "sll", "srl", "sra", "sllv", "srlv", "srav", "rotr", "rotrv", "slt", "sltu", "slti", "sltiu",
            "mult", "multu", "div", "divu", "madd", "maddu", "msub", "msubu", "mul", "mfhi", "mflo", "mthi", "mtlo",
            "clz", "clo", "seb", "seh", "wsbh", "ext", "ins", "movn", "movz",
            "lb", "lbu", "lh", "lhu", "lw", "sb", "sh", "sw", "lwl", "lwr", "swl", "swr",
            "beq", "bne", "blez", "bgtz", "bltz", "bgez", "beql", "bnel", "blezl", "bgtzl", "bltzl", "bgezl",
            "bltzal", "bgezal", "bltzall", "bgezall", "bal", "j", "jal", "jr", "jalr",
        ];
        var missing = required.Where(m => !mnemonics.Contains(m)).ToList();
        Assert.True(missing.Count == 0, $"never generated: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Hilo_flow_sees_mul_on_any_path()
    {
        var mul = FuzzItem.Op("mul $t0, $t1, $t2", HiLoEffect.Clobbers);
        var mult = FuzzItem.Op("mult $t1, $t2", HiLoEffect.WritesBoth);
        var mfhi = FuzzItem.Op("mfhi $t3", HiLoEffect.ReadsHi);
        var branch = new FuzzItem(["bnez $t4, .L1", "nop"], Target: ".L1");
        var label = FuzzItem.LabelAt(".L1");

        Assert.True(HiLoFlow.Check([mult, mfhi], out _, out _));
        Assert.False(HiLoFlow.Check([mul, mfhi], out _, out _));
        Assert.True(HiLoFlow.Check([mul, mult, mfhi], out bool hi, out bool lo));
        Assert.True(hi && lo);

        // MUL; branch over the MULT; MFHI at the label: HI is undefined on the taken path.
        Assert.False(HiLoFlow.Check([mul, branch, mult, label, mfhi], out _, out _));
        Assert.True(HiLoFlow.Check([mul, mult, branch, mult, label, mfhi], out _, out _));
        HiLoFlow.Check([branch, mul, label], out hi, out lo);
        Assert.False(hi || lo);

        // A MULT in a delay slot defines HI/LO on both paths, unless the branch is likely
        // (not taken, the slot is skipped).
        var multInSlot = new FuzzItem(["bnez $t4, .L1", "mult $t1, $t2"], HiLoEffect.WritesBoth, Target: ".L1");
        var multInLikelySlot = multInSlot with { Lines = ["bnezl $t4, .L1", "mult $t1, $t2"], Likely = true };
        Assert.True(HiLoFlow.Check([mul, multInSlot, mfhi, label, mfhi], out _, out _));
        Assert.False(HiLoFlow.Check([mul, multInLikelySlot, mfhi, label], out _, out _));
        Assert.False(HiLoFlow.Check([mul, multInLikelySlot, label, mfhi], out _, out _));
    }

    [Fact]
    public void Reducer_keeps_only_what_the_failure_needs()
    {
        var original = FuzzGenerator.Generate(3, 0);
        var target = original.Items.First(i => !i.IsLabel && i.Target is null);
        int tries = 0;
        var reduced = FuzzReducer.Reduce(original, c =>
        {
            tries++;
            return c.Items.Contains(target);
        }, maxAttempts: 1000);

        Assert.Equal([target], reduced.Items.Where(i => !i.IsLabel));
        Assert.All(reduced.Registers, r => Assert.Equal(0u, r));
        Assert.All(reduced.Scratch, w => Assert.Equal(0u, w));
        Assert.InRange(tries, 1, 200);
    }

    /// <summary>The whole failure path, with a fake "exec" that gets every case containing a WSBH
    /// wrong: found, reduced to the one item, reported with both dumps.</summary>
    [Fact]
    public void A_mismatch_is_found_reduced_and_reported()
    {
        GuestToolchain.RequireTools();
        var clock = Stopwatch.StartNew();
        var summary = new FuzzRunner(
            new FuzzOptions { Seed = 5, Cases = 100, Jobs = 1, MaxReports = 1, RepositoryRoot = RepoRoot.Path },
            underTest: (elf, limit) => WrongAboutWsbh(GuestRunner.RunExec(elf, [], limit), Path.ChangeExtension(elf, ".S"))).Run();
        output.WriteLine($"{summary} (reduction included: {clock.Elapsed.TotalSeconds:F1} s)");
        var expected = Enumerable.Range(0, 100).Count(i => Wsbh(FuzzGenerator.Generate(5, i)));

        Assert.False(summary.Passed);
        Assert.Equal(expected, summary.MismatchedCases);
        var mismatch = Assert.Single(summary.Mismatches);
        output.WriteLine(mismatch.Report);
        Assert.NotNull(mismatch.Reduced);
        var item = Assert.Single(mismatch.Reduced.Items, i => !i.IsLabel);
        Assert.Contains(item.Lines, l => l.StartsWith("wsbh", StringComparison.Ordinal));
        Assert.Contains("<-- differs", mismatch.Report, StringComparison.Ordinal);
        Assert.Contains("wsbh", mismatch.Report, StringComparison.Ordinal);
    }

    private static bool Wsbh(FuzzCase c) => c.Items.SelectMany(i => i.Lines).Any(l => l.StartsWith("wsbh", StringComparison.Ordinal));

    // Flips the first value (at) of every case line whose case, in the program source, has a WSBH.
    private static GuestRun WrongAboutWsbh(GuestRun run, string source)
    {
        var wrong = new HashSet<long>();
        foreach (Match m in Regex.Matches(File.ReadAllText(source), @"# ---- case (\d+)\n(.*?)# dump", RegexOptions.Singleline))
        {
            if (Regex.IsMatch(m.Groups[2].Value, @"^\s+wsbh ", RegexOptions.Multiline))
            {
                wrong.Add(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        var lines = Encoding.ASCII.GetString(run.Stdout).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string[] words = lines[i].Split(' ');
            if (words.Length > 2 && words[0] == "case" && wrong.Contains(long.Parse(words[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            {
                words[2] = (uint.Parse(words[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture) ^ 1).ToString("x8", CultureInfo.InvariantCulture);
                lines[i] = string.Join(' ', words);
            }
        }

        return run with { Stdout = Encoding.ASCII.GetBytes(string.Join('\n', lines)) };
    }
}
