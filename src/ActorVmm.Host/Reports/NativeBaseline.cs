using System.Collections.Concurrent;
using System.Diagnostics;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;

namespace ActorVmm.Host.Reports;

/// <summary>Each VM's kernel and command line booted on the bare simulated machine, for comparison.</summary>
public sealed record NativeBaseline(MachineOutcome Outcome, MachineStatistics Statistics, string Console)
{
    public static IReadOnlyDictionary<int, NativeBaseline> Run(MonitorSettings settings)
    {
        var results = new ConcurrentDictionary<int, NativeBaseline>();
        Parallel.ForEach(settings.Vms, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, vm =>
        {
            try
            {
                var console = new MemoryStream();
                var image = ElfImage.Parse(File.ReadAllBytes(vm.KernelPath), Path.GetFileName(vm.KernelPath));
                using var machine = new NativeMachine(image, new BootConfiguration(vm.MemoryBytes, vm.CommandLine, 1, settings.Machine.TlbEntries), new ConsoleCapture(console));
                var outcome = machine.Run(vm.MaxInstructions > 0 ? vm.MaxInstructions : long.MaxValue);
                results[vm.Id] = new NativeBaseline(outcome, machine.Statistics(), System.Text.Encoding.Latin1.GetString(console.ToArray()));
            }
            catch (Exception e) when (e is IOException or ElfFormatException or MachineConfigurationException)
            {
                // The monitor run reports why this VM could not start; there is no baseline.
                Trace.WriteLine($"no native baseline for {vm.Name}: {e.Message}");
            }
        });
        return results;
    }

    private sealed class ConsoleCapture(Stream stream) : IConsoleSink
    {
        public void Write(byte value) => stream.WriteByte(value);
    }
}
