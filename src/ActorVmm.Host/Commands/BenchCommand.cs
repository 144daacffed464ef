using System.CommandLine;
using ActorVmm.Host.Bench;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm bench ...</c>: speed measured against peers in the same run.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure speed against peers measured in the same run; prints MIPS and ratios.");
        command.Subcommands.Add(CreateExec());
        return command;
    }

    private static Command CreateExec()
    {
        var program = new Option<FileInfo>("--program") { Description = "Guest program (default: the prebuilt CRC32 benchmark).", DefaultValueFactory = _ => new FileInfo(Path.Combine(RepositoryPaths.Guests, "bin", "crc32.elf")) };
        var rounds = new Option<int>("--rounds") { Description = "CRC rounds over the 64 KB buffer (about 0.66 M instructions each).", DefaultValueFactory = _ => 2000 };
        var repeat = new Option<int>("--repeat") { Description = "Runs per peer; the best wall time counts.", DefaultValueFactory = _ => 3 };
        var command = new Command("exec", "CRC32 guest under exec, qemu-mipsel and qemu-mipsel -singlestep.") { program, rounds, repeat };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(program)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"actorvmm bench: {file.FullName} not found");
                return 2;
            }

            var bench = new ExecBenchmark(file, [parse.GetValue(rounds).ToString()], Math.Max(1, parse.GetValue(repeat)));
            var exec = bench.MeasureExec();
            var jit = bench.MeasureQemu(singleStep: false, exec.Instructions);
            var single = bench.MeasureQemu(singleStep: true, exec.Instructions);
            Console.WriteLine($"program: {file.Name} {parse.GetValue(rounds)} rounds, {exec.Instructions:N0} guest instructions, best of {parse.GetValue(repeat)}");
            Console.WriteLine($"{"runner",-26} {"wall s",8} {"MIPS",9} {"exec / runner",14}");
            foreach (var m in new[] { exec, single, jit })
            {
                if (m is null)
                {
                    continue;
                }

                string same = m.Output == exec.Output ? "" : "  (OUTPUT DIFFERS)";
                Console.WriteLine($"{m.Runner,-26} {m.BestWall.TotalSeconds,8:F3} {m.Mips,9:F1} {exec.Mips / m.Mips,13:F2}x{same}");
            }

            if (jit is null || single is null)
            {
                Console.WriteLine("qemu-mipsel not found: install qemu-user to compare.");
            }

            return 0;
        });
        return command;
    }
}
