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
        command.Subcommands.Add(CreateMonitor());
        command.Subcommands.Add(CreateCluster());
        return command;
    }

    private static Command CreateCluster()
    {
        var kernel = new Option<FileInfo>("--kernel") { Description = "The guest kernel (default: the prebuilt one).", DefaultValueFactory = _ => new FileInfo(Path.Combine(RepositoryPaths.Guests, "bin", "kernel.elf")) };
        var fleet = new Option<FileInfo>("--fleet") { Description = "The fleet scenario whose mix the fleet runs take.", DefaultValueFactory = _ => new FileInfo(Path.Combine(RepositoryPaths.Root, "hocon", "scenarios", "fleet.conf")) };
        var fleetVms = new Option<int>("--fleet-vms") { Description = "How many of its VMs (in order) the fleet runs take.", DefaultValueFactory = _ => 64 };
        var traps = new Option<string>("--trap-cmdline") { Description = "The trap-heavy VM whose trap rate is compared.", DefaultValueFactory = _ => "run=pmake" };
        var repeat = new Option<int>("--repeat") { Description = "Measured runs of each; the best counts.", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up runs of each first, not counted.", DefaultValueFactory = _ => 1 };
        var command = new Command("cluster", "What a cluster of three local nodes costs against one node: formation time, a VM's trap rate, migrating a 16 MB VM, a fleet's guest MIPS; and the goals.")
        {
            kernel, fleet, fleetVms, traps, repeat, warmup,
        };
        command.SetAction(parse =>
        {
            foreach (var file in new[] { parse.GetValue(kernel)!, parse.GetValue(fleet)! })
            {
                if (!file.Exists)
                {
                    Console.Error.WriteLine($"actorvmm bench: {file.FullName} not found");
                    return 2;
                }
            }

            var options = new ClusterBenchOptions(parse.GetValue(kernel)!, parse.GetValue(fleet)!, Math.Max(1, parse.GetValue(repeat)), Math.Max(0, parse.GetValue(warmup)),
                parse.GetValue(traps)!, Math.Max(1, parse.GetValue(fleetVms)));
            try
            {
                return ClusterBenchSuite.RunAsync(options, Console.Out, Console.Error).GetAwaiter().GetResult() ? 0 : 1;
            }
            catch (BenchmarkMismatchException e)
            {
                Console.Error.WriteLine($"actorvmm bench cluster: FAILED: {e.Message}");
                return 3;
            }
        });
        return command;
    }

    private static Command CreateMonitor()
    {
        var kernel = new Option<FileInfo>("--kernel") { Description = "The guest kernel (default: the prebuilt one).", DefaultValueFactory = _ => new FileInfo(Path.Combine(RepositoryPaths.Guests, "bin", "kernel.elf")) };
        var raytrace = new Option<string>("--raytrace") { Description = "Image size of the compute-bound ray tracer, WxH (800x600 is about 560 M instructions, over 1 s natively).", DefaultValueFactory = _ => "800x600" };
        var repeat = new Option<int>("--repeat") { Description = "Measured runs per runner; the best wall time counts.", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up runs per runner first (JIT tiering), not counted.", DefaultValueFactory = _ => 1 };
        var pings = new Option<long>("--ping-pongs") { Description = "Round trips per Akka ping-pong run.", DefaultValueFactory = _ => 1_000_000 };
        var fleetVms = new Option<int>("--fleet-vms") { Description = "VMs in the fleet run.", DefaultValueFactory = _ => 32 };
        var fleetCpus = new Option<int>("--fleet-cpus") { Description = "Physical CPUs of the fleet run.", DefaultValueFactory = _ => 4 };
        var fleetCmdline = new Option<string>("--fleet-cmdline") { Description = "Each fleet VM's kernel command line.", DefaultValueFactory = _ => "run=raytrace" };
        var command = new Command("monitor", "Guest MIPS natively vs under the monitor (with and without actors), trap rate vs a raw Akka ping-pong, the trace's cost, fleet MIPS; and the goals.")
        {
            kernel, raytrace, repeat, warmup, pings, fleetVms, fleetCpus, fleetCmdline,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(kernel)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"actorvmm bench: {file.FullName} not found");
                return 2;
            }

            string size = parse.GetValue(raytrace)!;
            var parts = size.Split('x');
            if (parts.Length != 2 || !int.TryParse(parts[0], out int width) || !int.TryParse(parts[1], out int height) || width < 1 || height < 1)
            {
                Console.Error.WriteLine($"actorvmm bench: --raytrace '{size}' is not WxH (e.g. 800x600)");
                return 2;
            }

            var options = new MonitorBenchOptions(file, width, height, Math.Max(1, parse.GetValue(repeat)), Math.Max(0, parse.GetValue(warmup)),
                Math.Max(1000, parse.GetValue(pings)), Math.Max(1, parse.GetValue(fleetVms)), Math.Max(1, parse.GetValue(fleetCpus)), parse.GetValue(fleetCmdline) ?? "");
            try
            {
                return MonitorBenchSuite.Run(options, Console.Out, Console.Error) ? 0 : 1;
            }
            catch (BenchmarkMismatchException e)
            {
                Console.Error.WriteLine($"actorvmm bench monitor: FAILED: {e.Message}");
                return 3;
            }
        });
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
