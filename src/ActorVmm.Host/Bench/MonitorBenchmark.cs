using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Monitor.Tracing;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.Monitor;
using ActorVmm.Host.Commands;

namespace ActorVmm.Host.Bench;

/// <summary>
/// The speed of the monitor, every figure against a peer measured in the same process: one
/// guest kernel workload on the bare board, under <see cref="SynchronousMonitor"/> (the
/// monitor's logic without actors) and under the actors (<see cref="MonitorRun"/>, 1 VM on
/// 1 physical CPU), with and without the trace. Runs of a workload are interleaved, after
/// warm-up runs, and the best wall time of each runner counts.
/// </summary>
public sealed class MonitorBenchmark(FileInfo kernel, int repeat, int warmup, TextWriter log)
{
    public const uint GuestMemory = BootConfiguration.DefaultMemorySize;

    private readonly ElfImage _image = ElfImage.Parse(File.ReadAllBytes(kernel.FullName), kernel.Name);

    public sealed record Workload(string Name, string CommandLine, bool ComputeBound);

    public enum Runner
    {
        Native,
        Synchronous,
        Actors,
        ActorsTraced,
    }

    /// <summary>
    /// One runner's best run of one workload. <paramref name="Traps"/>: trap → decision round
    /// trips (0 natively). For a traced run, the trace file's size and record count.
    /// </summary>
    /// <param name="TlbWrites">Intercepted TLBWR/TLBWI traps: each takes a second round trip, router to memory manager.</param>
    /// <param name="Cpu">Process CPU time of the best run (for the actors: the whole MonitorRun.Execute).</param>
    public sealed record RunMeasurement(Runner Runner, TimeSpan BestWall, long Instructions, long Traps, string Console,
        long TraceBytes = 0, long TraceRecords = 0, long TlbWrites = 0, TimeSpan Cpu = default, TimeSpan WorstWall = default)
    {
        public double Mips => Instructions / BestWall.TotalSeconds / 1e6;

        public double TrapsPerSecond => Traps / BestWall.TotalSeconds;
    }

    public sealed record WorkloadResult(Workload Workload, IReadOnlyList<RunMeasurement> Runs)
    {
        public RunMeasurement Of(Runner runner) => Runs.First(r => r.Runner == runner);

        public RunMeasurement? Find(Runner runner) => Runs.FirstOrDefault(r => r.Runner == runner);
    }

    public sealed record FleetResult(int Vms, int PhysicalCpus, string CommandLine, TimeSpan BestWall, long Instructions, long Traps, long InstructionsPerVm)
    {
        public double AggregateMips => Instructions / BestWall.TotalSeconds / 1e6;
    }

    /// <summary>
    /// Measure <paramref name="runners"/> on <paramref name="workload"/>: warm-up runs of each,
    /// then <c>repeat</c> rounds of one run each. Throws if the guest instruction counts or
    /// the consoles of the runners differ: they run the same kernel, so they must not.
    /// </summary>
    public WorkloadResult Measure(Workload workload, IReadOnlyList<Runner> runners)
    {
        var best = new Dictionary<Runner, RunMeasurement>();
        for (int round = 0; round < warmup + repeat; round++)
        {
            bool warm = round < warmup;
            foreach (var runner in runners)
            {
                var m = RunOnce(workload, runner, measureTrace: !warm && round == warmup + repeat - 1);
                log.WriteLine($"  {(warm ? "warm-up" : "run " + (round - warmup + 1)),-8} {workload.Name,-22} {Label(runner),-22} {m.BestWall.TotalSeconds,7:F3} s  {m.Mips,7:F1} MIPS  {m.Traps,11:N0} traps");
                if (warm)
                {
                    continue;
                }

                if (best.TryGetValue(runner, out var previous))
                {
                    m = m with
                    {
                        BestWall = m.BestWall < previous.BestWall ? m.BestWall : previous.BestWall,
                        Cpu = m.BestWall < previous.BestWall ? m.Cpu : previous.Cpu,
                        WorstWall = m.BestWall > previous.WorstWall ? m.BestWall : previous.WorstWall,
                        TraceBytes = Math.Max(m.TraceBytes, previous.TraceBytes),
                        TraceRecords = Math.Max(m.TraceRecords, previous.TraceRecords),
                    };
                }
                else
                {
                    m = m with { WorstWall = m.BestWall };
                }

                best[runner] = m;
            }
        }

        var runs = runners.Select(r => best[r]).ToList();
        var reference = runs[0];
        foreach (var run in runs.Skip(1))
        {
            if (run.Instructions != reference.Instructions)
            {
                throw new BenchmarkMismatchException(
                    $"{workload.Name}: {Label(run.Runner)} retired {run.Instructions:N0} guest instructions, {Label(reference.Runner)} {reference.Instructions:N0}: the monitor is not transparent");
            }

            if (run.Console != reference.Console)
            {
                throw new BenchmarkMismatchException($"{workload.Name}: the console under {Label(run.Runner)} differs from {Label(reference.Runner)}'s");
            }
        }

        return new WorkloadResult(workload, runs);
    }

    public static string Label(Runner runner) => runner switch
    {
        Runner.Native => "native (bare board)",
        Runner.Synchronous => "monitor, no actors",
        Runner.Actors => "monitor, actors",
        Runner.ActorsTraced => "monitor, actors, trace",
        _ => runner.ToString(),
    };

    private RunMeasurement RunOnce(Workload workload, Runner runner, bool measureTrace) => runner switch
    {
        Runner.Native => RunNative(workload),
        Runner.Synchronous => RunSynchronous(workload),
        _ => RunActors(workload, traced: runner == Runner.ActorsTraced, measureTrace),
    };

    private RunMeasurement RunNative(Workload workload)
    {
        var console = new ConsoleBytes();
        using var machine = new NativeMachine(_image, new BootConfiguration(GuestMemory, workload.CommandLine), console);
        var clock = Stopwatch.StartNew();
        var outcome = machine.Run();
        clock.Stop();
        Check(workload, Runner.Native, outcome);
        return new RunMeasurement(Runner.Native, clock.Elapsed, machine.Cpu.Retired, 0, console.Text);
    }

    private RunMeasurement RunSynchronous(Workload workload)
    {
        var console = new ConsoleBytes();
        using var monitor = new SynchronousMonitor(_image, new BootConfiguration(GuestMemory, workload.CommandLine), console);
        var clock = Stopwatch.StartNew();
        var outcome = monitor.Run();
        clock.Stop();
        Check(workload, Runner.Synchronous, outcome);
        return new RunMeasurement(Runner.Synchronous, clock.Elapsed, monitor.Cpu.GuestInstructions, monitor.Traps, console.Text);
    }

    private RunMeasurement RunActors(Workload workload, bool traced, bool measureTrace)
    {
        string output = Path.Combine(Path.GetTempPath(), $"actorvmm-bench-{Environment.ProcessId}");
        var settings = Scenario([workload.CommandLine], physicalCpus: 1, traced, output);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var run = MonitorRun.Execute(settings, SilentConsole.Instance);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var runner = traced ? Runner.ActorsTraced : Runner.Actors;
        try
        {
            var vm = run.Result.Vms.Single();
            Check(workload, runner, vm.Outcome);
            var stats = vm.Statistics ?? throw new BenchmarkMismatchException($"{workload.Name}: no vCPU statistics from the monitor");
            long bytes = 0, records = 0;
            if (run.TracePath is not null && measureTrace)
            {
                bytes = new FileInfo(run.TracePath).Length;
                records = CountTraceRecords(run.TracePath);
            }

            long tlbWrites = stats.Traps.GetValueOrDefault("tlbwr") + stats.Traps.GetValueOrDefault("tlbwi");
            return new RunMeasurement(runner, run.Result.WallTime, stats.GuestInstructions, stats.Traps.Values.Sum(), vm.Console, bytes, records, tlbWrites, cpu);
        }
        finally
        {
            if (run.TracePath is not null)
            {
                File.Delete(run.TracePath);
            }
        }
    }

    /// <summary>
    /// <paramref name="vms"/> copies of one workload on <paramref name="physicalCpus"/>
    /// physical CPUs, trace off: aggregate guest instructions per second of wall time. Every
    /// VM must retire exactly <paramref name="instructionsPerVm"/> (its count on the bare board).
    /// </summary>
    public FleetResult MeasureFleet(int vms, int physicalCpus, string commandLine, long instructionsPerVm)
    {
        var settings = Scenario(Enumerable.Repeat(commandLine, vms).ToList(), physicalCpus, traced: false, Path.GetTempPath());
        var best = TimeSpan.MaxValue;
        long instructions = 0, traps = 0;
        for (int round = 0; round < warmup + repeat; round++)
        {
            var result = MonitorRun.Execute(settings, SilentConsole.Instance).Result;
            foreach (var vm in result.Vms)
            {
                Check(new Workload($"fleet {vm.Name}", commandLine, false), Runner.Actors, vm.Outcome);
                long retired = vm.Statistics?.GuestInstructions ?? -1;
                if (retired != instructionsPerVm)
                {
                    throw new BenchmarkMismatchException($"fleet: {vm.Name} retired {retired:N0} guest instructions, the bare board {instructionsPerVm:N0}");
                }
            }

            instructions = result.Vms.Sum(v => v.Statistics!.GuestInstructions);
            traps = result.Vms.Sum(v => v.Statistics!.Traps.Values.Sum());
            bool warm = round < warmup;
            log.WriteLine($"  {(warm ? "warm-up" : "run " + (round - warmup + 1)),-8} fleet {vms} VMs on {physicalCpus} CPUs    {result.WallTime.TotalSeconds,7:F3} s  {instructions / result.WallTime.TotalSeconds / 1e6,7:F1} MIPS aggregate");
            if (!warm && result.WallTime < best)
            {
                best = result.WallTime;
            }
        }

        return new FleetResult(vms, physicalCpus, commandLine, best, instructions, traps, instructionsPerVm);
    }

    private MonitorSettings Scenario(IReadOnlyList<string> commandLines, int physicalCpus, bool traced, string outputDirectory)
    {
        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var vms = new StringBuilder();
        for (int i = 0; i < commandLines.Count; i++)
        {
            vms.AppendLine(CultureInfo.InvariantCulture, $"    {{ name = \"vm{i + 1}\", cmdline = {Quote(commandLines[i])} }}");
        }

        string hocon = $$"""
            actorvmm {
              machine.physical-cpus = {{physicalCpus}}
              vm-defaults { kernel = {{Quote(kernel.FullName)}}, memory = {{GuestMemory}} }
              trace { enabled = {{(traced ? "on" : "off")}}, file = "bench-{{Guid.NewGuid():N}}.avtrace" }
              output { directory = {{Quote(outputDirectory)}}, console = off, progress = off, json-report = off }
              vms = [
            {{vms}}  ]
            }
            """;
        return ScenarioLoader.Load(hocon, "bench monitor", RunCommand.ResolveKernel);
    }

    private static void Check(Workload workload, Runner runner, MachineOutcome outcome)
    {
        if (outcome.Kind != MachineOutcomeKind.PoweredOff || outcome.ExitStatus != 0)
        {
            throw new BenchmarkMismatchException($"{workload.Name} ({workload.CommandLine}) under {Label(runner)} did not power off cleanly: {outcome.Kind} {outcome.ExitStatus} {outcome.Diagnostic}");
        }
    }

    /// <summary>Records in a trace file, read with the project's own trace reader.</summary>
    public static long CountTraceRecords(string path) => TraceReader.Open(path).Stream().LongCount();

    /// <summary>A guest console kept as text, to compare runners.</summary>
    private sealed class ConsoleBytes : IConsoleSink
    {
        private readonly MemoryStream _bytes = new();

        public string Text => Encoding.Latin1.GetString(_bytes.ToArray());

        public void Write(byte value) => _bytes.WriteByte(value);
    }
}

/// <summary>Runners of the same workload disagreed: a correctness failure, not a slow run.</summary>
public sealed class BenchmarkMismatchException(string message) : Exception(message);
