using ActorVmm.Cpu.Board;
using ActorVmm.EndToEnd.Tests.NativeKernel;
using ActorVmm.Monitor;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// The paravirtual kernel (guests/bin/kernel-pv.elf, docs/HYPERCALLS.md): it boots on the bare
/// board, and under the monitor it uses the special page and monitor calls yet retires exactly
/// the instructions it retires natively and prints exactly the same console (its paravirtual
/// sites have native fallbacks of the same length), so the native run stays its reference.
/// </summary>
public sealed class ParavirtualKernelTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    public static TheoryData<string> Workloads => TransparencyTests.Workloads;

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Under_the_monitor_it_retires_and_prints_exactly_what_it_does_natively(string cmdline)
    {
        var native = KernelRun.Boot(guests.Kernel.PvKernelBytes, cmdline).PoweredOff();
        var run = guests.Run($$"""{ name = pv, cmdline = "{{cmdline}}", kernel = "{{guests.PvKernelFile}}" }""", physicalCpus: 1);
        var vm = Assert.Single(run.Result.Vms);
        var s = vm.Statistics!;

        output.WriteLine($"'{cmdline}': {native.Stats.Instructions:N0} instructions; under the monitor {s.Traps.Values.Sum():N0} traps: " +
            string.Join(", ", s.Traps.OrderByDescending(t => t.Value).Take(6).Select(t => $"{t.Key} {t.Value:N0}")));
        Assert.True(s.Paravirtual, "the kernel registered its special page");
        Assert.Equal(native.Text, vm.Console);
        Assert.Equal(native.Stats.Instructions, s.GuestInstructions);
        Assert.Equal(native.Stats.KernelInstructions, s.KernelInstructions);
        Assert.Equal(native.Stats.UserInstructions, s.UserInstructions);
        Assert.Equal(native.Stats.ContextSwitches, s.ContextSwitches);

        // It talked to the monitor instead of trapping byte by byte: the console went through
        // monitor calls, and the only device accesses are the probe and the power-off.
        Assert.True(s.Traps.GetValueOrDefault("monitor call Console") > 0);
        Assert.Equal(2, s.Traps.GetValueOrDefault("device access"));
    }

    [Theory]
    [InlineData("run=pmake")]
    [InlineData("run=engineering")]
    public void With_the_disco_l2_tlb_it_prints_what_it_does_natively_and_only_refills_go_missing(string cmdline)
    {
        var native = KernelRun.Boot(guests.Kernel.PvKernelBytes, cmdline).PoweredOff();
        var run = guests.Run($$"""{ name = pv, cmdline = "{{cmdline}}", kernel = "{{guests.PvKernelFile}}", l2-tlb = disco }""", physicalCpus: 1);
        var s = Assert.Single(run.Result.Vms).Statistics!;

        Assert.Equal(native.Text, run.Result.Vms[0].Console);
        Assert.True(s.L2GuestRefills > 0);
        Assert.Equal(native.Stats.Instructions, s.GuestInstructions + s.L2GuestInstructionsSaved);
    }

    /// <summary>The special page's native fallback: on the bare board the same kernel runs its programs as the unmodified one does.</summary>
    [Theory]
    [InlineData("run=raytrace")]
    [InlineData("run=engineering")]
    [InlineData("run=pmake")]
    public void On_the_bare_board_its_programs_print_what_they_print_on_the_unmodified_kernel(string cmdline)
    {
        var unmodified = KernelRun.Boot(guests.Kernel.KernelBytes, cmdline).PoweredOff();
        var paravirtual = KernelRun.Boot(guests.Kernel.PvKernelBytes, cmdline).PoweredOff();

        // Its clock runs differently (a few more instructions on some paths), so processes
        // that run side by side may finish in another order: compare the lines as sets.
        Assert.Equal(unmodified.UserText.Split('\n').Order(), paravirtual.UserText.Split('\n').Order());
        Assert.Equal(unmodified.Counter("syscalls"), paravirtual.Counter("syscalls"));
        Assert.Equal(unmodified.Counter("demand-zero faults"), paravirtual.Counter("demand-zero faults"));
    }

    [Fact]
    public void A_guest_mixing_mfc0_and_special_page_accesses_sees_one_truth()
    {
        var run = guests.Run($$"""{ name = pvc, kernel = "{{guests.PvCoherence}}", memory = 1M }""", physicalCpus: 1);
        var vm = Assert.Single(run.Result.Vms);

        output.WriteLine(vm.Console);
        Assert.Equal(MachineOutcome.PowerOff(0), vm.Outcome);
        Assert.Contains("failed checks 0x00000000", vm.Console);
        Assert.Contains("this line came through one console call", vm.Console);
        Assert.Equal(1, vm.Statistics!.Traps.GetValueOrDefault("monitor call Console"));

        // On the bare board the probe reads 0: no special page, no monitor calls.
        var native = KernelRun.Boot(File.ReadAllBytes(guests.PvCoherence), "", memoryMegabytes: 1);
        Assert.Equal(MachineOutcome.PowerOff(2), native.Outcome);
        Assert.Contains("no monitor", native.Text);
    }
}
