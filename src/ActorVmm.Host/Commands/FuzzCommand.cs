using System.CommandLine;
using ActorVmm.Host.Fuzz;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm fuzz [--cases N] [--seed S] [--keep DIR]</c>: random-instruction differential testing against qemu-mipsel.</summary>
public static class FuzzCommand
{
    public static Command Create()
    {
        var cases = new Option<long>("--cases") { Description = "Number of random cases to run.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the run (default: random; printed, so a run can be repeated)." };
        var keep = new Option<DirectoryInfo?>("--keep") { Description = "Keep the generated sources, ELFs and outputs in this directory." };
        var perProgram = new Option<int>("--per-program") { Description = "Cases per generated program.", DefaultValueFactory = _ => 100 };
        var jobs = new Option<int>("--jobs") { Description = "Programs built and run in parallel.", DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4) };
        var command = new Command("fuzz",
            "Generate random MIPS32r2 integer code, run it under qemu-mipsel and under exec, and compare every register, HI/LO and memory.")
        {
            cases, seed, keep, perProgram, jobs,
        };
        command.SetAction(parse => Run(
            parse.GetValue(cases),
            parse.GetValue(seed) ?? (ulong)Random.Shared.NextInt64(1, int.MaxValue),
            parse.GetValue(keep),
            parse.GetValue(perProgram),
            parse.GetValue(jobs)));
        return command;
    }

    private static int Run(long cases, ulong seed, DirectoryInfo? keep, int perProgram, int jobs)
    {
        if (cases < 1 || perProgram < 1 || jobs < 1)
        {
            Console.Error.WriteLine("actorvmm fuzz: --cases, --per-program and --jobs must be positive");
            return 2;
        }

        var options = new FuzzOptions
        {
            Cases = cases,
            Seed = seed,
            CasesPerProgram = perProgram,
            Jobs = jobs,
            KeepDirectory = keep?.FullName,
        };
        Console.WriteLine($"actorvmm fuzz: seed {seed}, {cases} cases, {perProgram} per program, {jobs} jobs{(keep is null ? "" : $", keeping files in {keep.FullName}")}");
        FuzzSummary summary;
        try
        {
            summary = new FuzzRunner(options, Console.Out).Run();
        }
        catch (ToolchainException e)
        {
            Console.Error.WriteLine($"actorvmm fuzz: {e.Message}");
            return 2;
        }

        foreach (string error in summary.Errors)
        {
            Console.Error.WriteLine($"actorvmm fuzz: {error}");
        }

        Console.WriteLine(summary);
        if (!summary.Passed)
        {
            Console.WriteLine($"repeat with: actorvmm fuzz --seed {seed} --cases {cases} --keep DIR");
        }

        return summary.Passed ? 0 : 1;
    }
}
