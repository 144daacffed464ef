using System.Text.RegularExpressions;
using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.EndToEnd.Tests.Harness;
using ActorVmm.EndToEnd.Tests.NativeKernel;
using ActorVmm.Host;
using ActorVmm.Host.Commands;
using ActorVmm.Host.Progress;

namespace ActorVmm.EndToEnd.Tests.Fleet;

/// <summary>
/// Many small VMs at once: the fleet scenario (256 VMs of the guest kernel, each running one
/// of the fleet workloads, on 8 physical CPUs; what hocon/scenarios/fleet.conf holds). Every
/// VM must behave as it does alone on the bare board, and the progress display must follow
/// the run to its end.
/// </summary>
public sealed class FleetTests(KernelImageFixture kernel, ITestOutputHelper output) : IClassFixture<KernelImageFixture>
{
    private const int FleetSize = 256;

    [Fact]
    public void The_fleet_of_256_vms_on_8_cpus_powers_off_cleanly_with_every_console_as_on_the_bare_board()
    {
        string kernelFile = Path.Combine(Path.GetTempPath(), $"actorvmm-fleet-{Environment.ProcessId}-{Guid.NewGuid():N}.elf");
        File.WriteAllBytes(kernelFile, kernel.KernelBytes);
        try
        {
            var settings = ScenarioLoader.Load(FleetScenarioCommand.Generate(FleetSize, 8, "4M", "1G", trace: false, kernelFile), "fleet test");
            var lines = new StringWriter();
            var recorder = new RecordingObserver();
            MonitorRun run;
            using (var display = ProgressDisplay.StartLines(settings, TextWriter.Synchronized(lines), TimeSpan.FromMilliseconds(20)))
            {
                recorder.Next = display.State;
                run = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(5), recorder);
                display.State.Complete(run.Result);
                Assert.Equal(FleetSize, display.State.Latest!.VmsHalted);
            }

            output.WriteLine($"{kernel.Source}; {FleetSize} VMs in {run.Result.WallTime.TotalSeconds:F2} s, {run.Result.Epochs} epochs, {recorder.Seen.Count} progress reports, halted: {string.Join(" ", recorder.Seen.Select(p => p.VmsHalted))}");
            output.WriteLine(lines.ToString());

            // Every VM: powered off with status 0, console byte for byte the bare board's.
            var natives = FleetScenarioCommand.Workloads.Select(w => w.CommandLine).Distinct()
                .ToDictionary(c => c, c => KernelRun.Boot(kernel.KernelBytes, c, memoryMegabytes: 4).PoweredOff());
            Assert.Equal(FleetSize, run.Result.Vms.Count);
            foreach (var (vm, config) in run.Result.Vms.Zip(settings.Vms))
            {
                Assert.True(vm.Outcome is { Kind: MachineOutcomeKind.PoweredOff, ExitStatus: 0 }, $"{vm.Name}: {vm.Outcome.Kind} {vm.Outcome.ExitStatus} {vm.Outcome.Diagnostic}");
                var native = natives[config.CommandLine];
                Assert.Equal(native.Text, vm.Console);
                Assert.Equal(native.Stats.Instructions, vm.Statistics!.GuestInstructions);
            }

            Assert.True(run.Result.AllPoweredOffCleanly);
            Assert.All(run.Result.PhysicalCpus, p => Assert.True(p.Counters.Dispatches > 0, $"pcpu{p.Id} ran nothing"));

            // What the monitor told the observer: halted counts never go down, never pass the total.
            Assert.NotEmpty(recorder.Seen);
            var halted = recorder.Seen.Select(p => p.VmsHalted).ToList();
            Assert.True(halted.Zip(halted.Skip(1)).All(h => h.Item1 <= h.Item2), $"halted counts went down: {string.Join(",", halted)}");
            Assert.InRange(halted[^1], 1, FleetSize);
            Assert.All(recorder.Seen, p => Assert.Equal(FleetSize, p.Vms));
            Assert.All(recorder.Seen, p => Assert.Equal((FleetSize, FleetSize), (p.VmsBooted, p.VmsRunning + p.VmsHalted)));
            var instructions = recorder.Seen.Select(p => p.GuestInstructions).ToList();
            Assert.True(instructions.Zip(instructions.Skip(1)).All(i => i.Item1 <= i.Item2), "guest instructions went down");

            // What the display printed: monotonic too, ending with the whole fleet halted.
            var printed = Regex.Matches(lines.ToString(), @"halted (\d+)/(\d+)").Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.NotEmpty(printed);
            Assert.True(printed.Zip(printed.Skip(1)).All(h => h.Item1 <= h.Item2), $"printed halted counts went down: {string.Join(",", printed)}");
            string last = lines.ToString().TrimEnd().Split('\n')[^1];
            Assert.Contains($"done: halted {FleetSize}/{FleetSize}, running 0", last);
            long total = run.Result.Vms.Sum(v => v.Statistics!.GuestInstructions);
            Assert.Contains($"{total:N0} guest instructions", last);
        }
        finally
        {
            File.Delete(kernelFile);
        }
    }

    [Fact]
    public void Fleet_conf_loads_with_at_least_256_small_vms_on_8_cpus()
    {
        string path = Path.Combine(RepoRoot.Path, "hocon", "scenarios", "fleet.conf");
        var settings = ScenarioLoader.LoadFile(path);

        Assert.True(settings.Vms.Count >= 256, $"{settings.Vms.Count} VMs");
        Assert.Equal(8, settings.Machine.PhysicalCpus);
        Assert.All(settings.Vms, v => Assert.Equal(4u << 20, v.MemoryBytes));
        Assert.True(settings.Machine.MemoryBytes >= (ulong)settings.Vms.Count * (4UL << 20), "machine memory for every VM's whole memory");
        Assert.False(settings.Output.Console);
        Assert.False(settings.Trace.Enabled);
        Assert.Equal(FleetScenarioCommand.Workloads.Count, settings.Vms.Select(v => v.CommandLine).Distinct().Count());

        // It is what `actorvmm fleet-scenario 256` prints, so it can be regenerated.
        Assert.Equal(FleetScenarioCommand.Generate(256, 8, "4M", "1G", trace: false), File.ReadAllText(path));
    }

    /// <summary>Records every report, as the monitor gave them, and passes it on.</summary>
    private sealed class RecordingObserver : IRunObserver
    {
        public List<RunProgress> Seen { get; } = new();

        public IRunObserver? Next { get; set; }

        public void Progress(RunProgress progress)
        {
            lock (Seen)
            {
                Seen.Add(progress);
            }

            Next?.Progress(progress);
        }
    }
}
