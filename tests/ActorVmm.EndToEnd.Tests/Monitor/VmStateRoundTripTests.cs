using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.Monitor;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// A VM's state is a value: captured at seeded random points of a run, encoded and decoded,
/// restored into a fresh VM with a copy of its pages, it runs to the end with the console,
/// instruction count and traps of the uninterrupted run — the VM cannot tell it was moved.
/// </summary>
public sealed class VmStateRoundTripTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    public static TheoryData<string, int> Workloads => new()
    {
        { "run=pmake", 1 },
        { "run=engineering:512:1", 2 },
        { "run=raytrace:64:24", 3 },
        { "run=compute,syscalls,memory", 4 },
        { "run=sleeper idle=wait", 5 },
        { "run=fault,compute tick=20000", 6 },
        { "run=preempt,sleeper idle=spin", 7 },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Restored_at_any_point_a_vm_finishes_as_if_never_interrupted(string cmdline, int seed) =>
        RoundTrip(guests.Kernel.KernelBytes, cmdline, seed);

    /// <summary>
    /// The paravirtual kernel's special page moves with it: the restored vCPU pins the page in
    /// its new machine memory and keeps it coherent from what the guest last stored there.
    /// </summary>
    [Theory]
    [InlineData("run=pmake", 11)]
    [InlineData("run=engineering:512:1", 12)]
    public void A_paravirtual_vm_restored_at_any_point_finishes_as_if_never_interrupted(string cmdline, int seed) =>
        RoundTrip(guests.Kernel.PvKernelBytes, cmdline, seed);

    private void RoundTrip(byte[] kernelBytes, string cmdline, int seed)
    {
        var config = new BootConfiguration(BootConfiguration.DefaultMemorySize, cmdline);
        var kernel = ElfImage.Parse(kernelBytes, "kernel.elf");
        var whole = new ConsoleBytes();
        long cycles;
        VcpuStatistics reference;
        using (var uninterrupted = new SynchronousMonitor(kernel, config, whole))
        {
            Assert.Equal(MachineOutcome.PowerOff(0), uninterrupted.Run());
            reference = uninterrupted.Statistics();
            cycles = reference.ConsumedCycles;
        }

        var random = new Random(seed);
        for (int i = 0; i < 4; i++)
        {
            long at = 1 + (long)(random.NextDouble() * (cycles - 1));
            var console = new ConsoleBytes();
            VmState state;
            IReadOnlyList<Memory.GuestPageImage> pages;
            using (var first = new SynchronousMonitor(kernel, config, console))
            {
                Assert.Null(first.RunUntil(at));
                (state, pages) = first.Capture();
            }

            byte[] encoded = VmStateCodec.Encode(state);
            using var restored = SynchronousMonitor.Restore(VmStateCodec.Decode(encoded), pages, config, console);

            // Every field survived: the restored VM, captured at once, is the same value.
            Assert.Equal(encoded, VmStateCodec.Encode(restored.Capture().State));
            // Bounded: a restored VM that lost its way fails here instead of running forever.
            var outcome = restored.RunUntil(cycles + (cycles / 2)) ?? new MachineOutcome(MachineOutcomeKind.Crashed, -1, "still running at 1.5 times the reference's cycles");

            var after = restored.Statistics();
            output.WriteLine($"{cmdline}: captured at cycle {at:N0} of {cycles:N0} ({pages.Count} pages), finished {outcome.Kind}");
            Assert.Equal(MachineOutcome.PowerOff(0), outcome);
            Assert.Equal(whole.Text, console.Text);
            Assert.Equal(reference.GuestInstructions, after.GuestInstructions);
            Assert.Equal(reference.KernelInstructions, after.KernelInstructions);
            Assert.Equal(reference.Traps, after.Traps);
            Assert.Equal(reference.ContextSwitches, after.ContextSwitches);
            Assert.Equal(reference.Services.Count, after.Services.Count);
        }
    }

    [Fact]
    public void A_state_of_another_version_or_corrupt_or_cut_short_is_refused_whole()
    {
        var config = new BootConfiguration(BootConfiguration.DefaultMemorySize, "run=compute");
        using var monitor = new SynchronousMonitor(ElfImage.Parse(guests.Kernel.KernelBytes, "kernel.elf"), config, new ConsoleBytes());
        monitor.RunUntil(2_000_000);
        byte[] good = VmStateCodec.Encode(monitor.Capture().State);

        var otherVersion = (byte[])good.Clone();
        otherVersion[8]++;
        Assert.Contains($"format version {VmStateCodec.FormatVersion + 1}", Assert.Throws<StateFormatException>(() => VmStateCodec.Decode(otherVersion)).Message);

        var corrupt = (byte[])good.Clone();
        corrupt[^100] ^= 0x10;
        Assert.Contains("checksum", Assert.Throws<StateFormatException>(() => VmStateCodec.Decode(corrupt)).Message);

        Assert.Contains("cut short", Assert.Throws<StateFormatException>(() => VmStateCodec.Decode(good.AsSpan(0, good.Length - 7))).Message);
        Assert.Contains("not a VM state", Assert.Throws<StateFormatException>(() => VmStateCodec.Decode("hello"u8)).Message);
    }

    private sealed class ConsoleBytes : IConsoleSink
    {
        private readonly MemoryStream _bytes = new();

        public string Text => System.Text.Encoding.Latin1.GetString(_bytes.ToArray());

        public void Write(byte value) => _bytes.WriteByte(value);
    }
}
