using ActorVmm.Actors.Configuration;
using ActorVmm.Actors.Tests.Support;
using ActorVmm.Cpu.Board;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// The MonitorRoot's protocol with its real children: it starts the VMs, drives epochs until
/// every vCPU has halted, asks each vCPU for its counters and the memory manager for its
/// usage, and completes the run's result; a VM that cannot start is in the result with its
/// reason, and the others run on.
/// </summary>
public sealed class MonitorRootSpec(ITestOutputHelper output) : NodeSpec(64u << 20, output)
{
    private int _runs;

    [Fact]
    public async Task Runs_every_vm_to_power_off_and_completes_the_result_with_each_vms_counters()
    {
        var settings = Scenario(physicalCpus: 2,
            """{ name = a, cmdline = "run=sleeper idle=wait" }""",
            """{ name = b, cmdline = "run=sleeper idle=wait" }""",
            """{ name = c, cmdline = "run=sleeper idle=wait" }""");

        var result = await Run(settings);

        Assert.Equal(["a", "b", "c"], result.Vms.Select(v => v.Name));
        Assert.True(result.AllPoweredOffCleanly);
        Assert.All(result.Vms, v =>
        {
            Assert.NotNull(v.Statistics);
            Assert.True(v.Statistics!.GuestInstructions > 10_000);
            Assert.True(v.FinishedAt > 0);
            Assert.Contains("[kernel]", v.Console);
        });
        Assert.Equal(result.Vms[0].Console, result.Vms[1].Console);
        Assert.Equal(2, result.PhysicalCpus.Count);
        Assert.True(result.Epochs >= 2);
        Assert.True(result.Memory.AllocatedPages == 0, "every halted VM gave its machine pages back");
        Assert.Equal(3, result.Memory.PagesByVm.Count);
    }

    [Fact]
    public async Task A_vm_whose_kernel_cannot_be_read_fails_alone_with_its_reason_and_the_others_finish()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-kernel-{Guid.NewGuid():N}.elf");
        var settings = Scenario(physicalCpus: 1,
            """{ name = good, cmdline = "run=sleeper idle=wait" }""",
            $$"""{ name = bad, kernel = "{{missing}}" }""");

        var result = await Run(settings);

        var good = result.Vms.Single(v => v.Name == "good");
        var bad = result.Vms.Single(v => v.Name == "bad");
        Assert.Equal(MachineOutcome.PowerOff(0), good.Outcome);
        Assert.Equal(MachineOutcomeKind.Crashed, bad.Outcome.Kind);
        Assert.Contains(missing, bad.FailureReason);
        Assert.Null(bad.Statistics);
    }

    [Fact]
    public async Task A_kernel_that_is_a_device_fails_its_vm_before_anything_is_read_and_the_run_ends()
    {
        var settings = Scenario(physicalCpus: 1,
            """{ name = good, cmdline = "run=sleeper idle=wait" }""",
            """{ name = zero, kernel = "/dev/zero" }""");

        var result = await Run(settings);

        Assert.Equal(MachineOutcome.PowerOff(0), result.Vms.Single(v => v.Name == "good").Outcome);
        var zero = result.Vms.Single(v => v.Name == "zero");
        Assert.Contains("/dev/zero", zero.FailureReason);
        Assert.Contains("not a regular file", zero.FailureReason);
    }

    [Fact]
    public async Task A_scenario_is_scheduled_the_same_way_every_time()
    {
        var settings = Scenario(physicalCpus: 2,
            """{ name = a, cmdline = "run=sleeper idle=wait" }""",
            """{ name = b, cmdline = "run=sleeper idle=spin" }""",
            """{ name = c, cmdline = "run=sleeper idle=wait" }""");

        var first = await Run(settings);
        var second = await Run(settings);

        Assert.Equal(first.Epochs, second.Epochs);
        Assert.Equal(first.PhysicalCpus.Select(p => (p.Clock, p.Counters)), second.PhysicalCpus.Select(p => (p.Clock, p.Counters)));
        Assert.Equal(first.Vms.Select(v => (v.FinishedAt, v.Statistics!.ConsumedCycles)), second.Vms.Select(v => (v.FinishedAt, v.Statistics!.ConsumedCycles)));
    }

    private async Task<MonitorResult> Run(MonitorSettings settings)
    {
        var completion = new TaskCompletionSource<MonitorResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var node = NodeResources.Start(Sys, "test", settings.Machine.PhysicalCpus, prefix: $"run{++_runs}-");
        Node.MemoryManager = node.MemoryManager;
        var sink = Sys.ActorOf(Props.Create(() => new ConsoleSink(SilentConsole.Instance, false)));
        var root = Sys.ActorOf(Props.Create(() => new MonitorRoot(settings, completion, node, sink)));
        var result = await completion.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Sys.Stop(root);
        return MonitorRun.WithConsoles(result, sink);
    }

    private static MonitorSettings Scenario(int physicalCpus, params string[] vms) => ScenarioLoader.Load($$"""
        actorvmm {
          machine { physical-cpus = {{physicalCpus}}, memory = 64M }
          vm-defaults { kernel = "{{Repo.KernelPath}}", memory = 4M }
          trace.enabled = off
          vms = [ {{string.Join(",\n", vms)}} ]
        }
        """, "monitor root spec");
}
