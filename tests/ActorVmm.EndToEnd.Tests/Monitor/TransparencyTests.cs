using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.EndToEnd.Tests.NativeKernel;
using ActorVmm.Monitor;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// The seed's first goal: the same kernel image behaves identically on the bare board and
/// under the monitor. Every workload's console is byte-identical and its guest instruction
/// count (kernel and user) is identical, while the monitor traps and emulates underneath.
/// </summary>
public sealed class TransparencyTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    public static TheoryData<string> Workloads =>
    [
        "",
        "run=pmake",
        "run=raytrace",
        "run=engineering",
        "run=compute,syscalls,memory",
        "run=preempt,sleeper idle=spin",
        "run=fault,compute tick=20000",
    ];

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Console_and_instruction_counts_under_the_monitor_equal_the_bare_board(string cmdline)
    {
        var native = KernelRun.Boot(guests.Kernel.KernelBytes, cmdline).PoweredOff();
        var run = guests.Run($$"""{ name = guest, cmdline = "{{cmdline}}" }""", physicalCpus: 1);
        var vm = Assert.Single(run.Result.Vms);

        output.WriteLine($"{guests.Kernel.Source}; '{cmdline}': {native.Stats.Instructions:N0} instructions, {vm.Statistics!.Traps.Values.Sum():N0} traps under the monitor");
        Assert.Equal(MachineOutcomeKind.PoweredOff, vm.Outcome.Kind);
        Assert.Equal(native.Outcome.ExitStatus, vm.Outcome.ExitStatus);
        Assert.Equal(native.Text, vm.Console);
        Assert.Equal(native.Stats.Instructions, vm.Statistics.GuestInstructions);
        Assert.Equal(native.Stats.KernelInstructions, vm.Statistics.KernelInstructions);
        Assert.Equal(native.Stats.UserInstructions, vm.Statistics.UserInstructions);
        Assert.True(vm.Statistics.Traps.Values.Sum() > 1000, "the kernel ran under the monitor: its privileged instructions trapped");

        // Context switches as the hardware sees them (returns to user mode under a new ASID)
        // are what the kernel itself reports at power-off, natively and under the monitor.
        var reported = System.Text.RegularExpressions.Regex.Match(native.Text, @"context switches (\d+)");
        Assert.True(reported.Success, "the kernel reports its context switches");
        Assert.Equal(long.Parse(reported.Groups[1].Value), native.Stats.ContextSwitches);
        Assert.Equal(native.Stats.ContextSwitches, vm.Statistics.ContextSwitches);
    }

    /// <summary>
    /// Disco's L2 TLB does the guest's refills for it from the entries its TLB evicted: the
    /// guest retires fewer instructions (exactly its handler's, per refill), but its TLB, its
    /// registers and its clock are as on the bare board, so every console is the same.
    /// </summary>
    [Theory]
    [MemberData(nameof(Workloads))]
    public void With_the_disco_l2_tlb_consoles_equal_the_bare_board_and_only_refill_instructions_go_missing(string cmdline)
    {
        var native = KernelRun.Boot(guests.Kernel.KernelBytes, cmdline).PoweredOff();
        var run = guests.Run($$"""{ name = guest, cmdline = "{{cmdline}}" }""", physicalCpus: 1, extra: "monitor.l2-tlb = disco");
        var vm = Assert.Single(run.Result.Vms);
        var s = vm.Statistics!;

        output.WriteLine($"'{cmdline}': {native.Stats.Instructions:N0} instructions natively, {s.GuestInstructions:N0} under the monitor, " +
            $"{s.L2GuestRefills:N0} refills done by the monitor ({s.L2GuestInstructionsSaved:N0} instructions), {native.Stats.TlbRefills:N0} refills natively");
        Assert.Equal(L2TlbMode.Disco, s.L2TlbMode);
        Assert.Equal(native.Text, vm.Console);
        Assert.Equal(native.Stats.Instructions, s.GuestInstructions + s.L2GuestInstructionsSaved);
        Assert.Equal(native.Stats.UserInstructions, s.UserInstructions);
        Assert.Equal(native.Stats.ContextSwitches, s.ContextSwitches);
        if (cmdline.Contains("engineering", StringComparison.Ordinal))
        {
            // Its working set is six times the TLB's reach: nearly every refill is the monitor's.
            Assert.True(s.L2GuestRefills > native.Stats.TlbRefills * 9 / 10, $"{s.L2GuestRefills} of {native.Stats.TlbRefills} refills");
        }
    }

    /// <summary>
    /// SynchronousMonitor runs the actors' own trap loop (VcpuLoop, TrapHandler, the memory
    /// manager's logic) with calls for messages: the same guest, the same traps, the same
    /// simulated cycles per mechanism. What the benchmarks measure without actors is the code
    /// the actors run.
    /// </summary>
    [Theory]
    [InlineData("run=pmake")]
    [InlineData("run=engineering")]
    public void The_synchronous_monitor_runs_the_actors_trap_loop_with_the_same_counts(string cmdline)
    {
        var run = guests.Run($$"""{ name = guest, cmdline = "{{cmdline}}" }""", physicalCpus: 1);
        var actors = Assert.Single(run.Result.Vms).Statistics!;
        var console = new ConsoleText();
        using var monitor = new SynchronousMonitor(ElfImage.Parse(guests.Kernel.KernelBytes, "kernel.elf"), new BootConfiguration(BootConfiguration.DefaultMemorySize, cmdline), console);

        var outcome = monitor.Run();

        var sync = monitor.Statistics();
        Assert.Equal(MachineOutcome.PowerOff(0), outcome);
        Assert.Equal(run.Result.Vms[0].Console, console.Text);
        Assert.Equal(actors.GuestInstructions, sync.GuestInstructions);
        Assert.Equal(actors.Traps, sync.Traps);
        Assert.Equal(actors.Ledger.Cycles, sync.Ledger.Cycles);
        Assert.Equal(actors.L2TlbHits, sync.L2TlbHits);
    }

    private sealed class ConsoleText : IConsoleSink
    {
        private readonly MemoryStream _bytes = new();

        public string Text => System.Text.Encoding.Latin1.GetString(_bytes.ToArray());

        public void Write(byte value) => _bytes.WriteByte(value);
    }

    [Fact]
    public void Several_vms_side_by_side_each_behave_as_alone_on_the_bare_board()
    {
        string[] cmdlines = ["run=pmake", "run=raytrace", "", "run=engineering"];
        var run = guests.Run(string.Join("\n", cmdlines.Select((c, i) => $$"""{ name = "vm{{i}}", cmdline = "{{c}}" }""")), physicalCpus: 2);

        for (int i = 0; i < cmdlines.Length; i++)
        {
            var native = KernelRun.Boot(guests.Kernel.KernelBytes, cmdlines[i]).PoweredOff();
            var vm = run.Result.Vms[i];
            Assert.Equal(native.Text, vm.Console);
            Assert.Equal(native.Stats.Instructions, vm.Statistics!.GuestInstructions);
        }

        Assert.Contains(run.Result.PhysicalCpus, p => p.Counters.MachineSwitches > 0);
    }
}
