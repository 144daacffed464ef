using ActorVmm.Actors;
using ActorVmm.Cpu.Board;
using Xunit;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// A fleet larger than machine memory: VMs wait for memory and start as others power off and
/// release theirs, in VM order at epoch boundaries, and each prints what it prints with
/// memory to spare; the progress display sees the queue, the result says when each waiting VM
/// got in, and the same scenario admits the same VMs at the same cycles twice.
/// </summary>
public sealed class AdmissionTests(MonitorGuestsFixture guests) : IClassFixture<MonitorGuestsFixture>
{
    private const string Fleet = """
        { name = a, memory = 8M, cmdline = "run=compute" }
        { name = b, memory = 8M, cmdline = "run=syscalls" }
        { name = c, memory = 8M, cmdline = "run=compute,memory" }
        { name = d, memory = 8M, cmdline = "run=syscalls,memory" }
        { name = e, memory = 8M, cmdline = "run=compute" }
        { name = f, memory = 8M, cmdline = "run=raytrace:64:24" }
        { name = g, memory = 8M, cmdline = "run=pmake:2:4" }
        { name = h, memory = 8M, cmdline = "run=compute,sleeper" }
        """;

    [Fact]
    public void Vms_that_do_not_fit_wait_and_run_as_others_release_their_memory()
    {
        var roomy = guests.Run(Fleet, physicalCpus: 2, extra: "machine.memory = 128M").Result;
        var watch = new QueueWatch();
        // 24 MB: three 8 MB VMs at a time.
        var settings = guests.Settings(Fleet, physicalCpus: 2, extra: "machine.memory = 24M");
        var tight = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(5), observer: watch).Result;
        var again = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(5)).Result;

        Assert.True(roomy.AllPoweredOffCleanly);
        Assert.True(tight.AllPoweredOffCleanly, string.Join("; ", tight.Vms.Select(v => $"{v.Name}: {v.Outcome}")));
        Assert.All(roomy.Vms, v => Assert.Equal(0, v.AdmittedAt));
        foreach (var (free, queued) in roomy.Vms.Zip(tight.Vms))
        {
            Assert.Equal(free.Console, queued.Console);
            Assert.Equal(free.Statistics!.GuestInstructions, queued.Statistics!.GuestInstructions);
        }

        // The first three start at once; the others each start after some VM has finished, in VM order.
        Assert.All(tight.Vms.Take(3), v => Assert.Equal(0, v.AdmittedAt));
        var waited = tight.Vms.Skip(3).ToList();
        Assert.All(waited, v => Assert.True(v.AdmittedAt > 0, $"{v.Name} waited"));
        Assert.Equal(waited.Select(v => v.AdmittedAt).Order(), waited.Select(v => v.AdmittedAt));
        Assert.All(waited, v => Assert.Contains(tight.Vms, o => o.FinishedAt > 0 && o.FinishedAt <= v.AdmittedAt));
        Assert.Equal(5, watch.MostWaiting);
        Assert.True(tight.Memory.PeakAllocatedPages <= 24 * 256);

        Assert.Equal(tight.Vms.Select(v => (v.AdmittedAt, v.FinishedAt)), again.Vms.Select(v => (v.AdmittedAt, v.FinishedAt)));
    }

    [Fact]
    public void A_vm_larger_than_machine_memory_runs_alone()
    {
        var run = guests.Run("""
            { name = big, memory = 16M, cmdline = "run=compute" }
            { name = small, memory = 4M, cmdline = "run=compute" }
            """, physicalCpus: 2, extra: "machine.memory = 8M").Result;

        Assert.True(run.AllPoweredOffCleanly, string.Join("; ", run.Vms.Select(v => $"{v.Name}: {v.Outcome}")));
        Assert.Equal(0, run.Vms[0].AdmittedAt);
        Assert.True(run.Vms[1].AdmittedAt >= run.Vms[0].FinishedAt);
    }

    private sealed class QueueWatch : IRunObserver
    {
        public int MostWaiting { get; private set; }

        public void Progress(RunProgress progress) => MostWaiting = Math.Max(MostWaiting, progress.VmsWaiting);
    }
}
