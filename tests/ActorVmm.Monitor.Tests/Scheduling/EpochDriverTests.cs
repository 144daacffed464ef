using ActorVmm.Monitor.Tracing;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>Global simulated time as pure logic: lock-step epochs, placement by VM, and the end when every vCPU has halted.</summary>
public sealed class EpochDriverTests
{
    [Fact]
    public void Vcpus_are_placed_by_vm_and_each_epoch_runs_one_epoch_length_further()
    {
        var driver = new EpochDriver(pcpus: 2, epochLength: 1000, loadBalancing: false, affinity: true, TraceRecorder.Disabled);
        for (int vm = 1; vm <= 3; vm++)
        {
            driver.Add(new VcpuKey(vm, 0));
        }

        var first = driver.Start();

        Assert.Equal((1L, 1000L, true), (driver.Epochs, driver.EpochEnd, driver.InFlight));
        Assert.Equal([1, 3], first[0].Select(s => s.Key.Vm));
        Assert.Equal([2], first[1].Select(s => s.Key.Vm));
        Assert.Equal(2000, Complete(driver, first).EpochEnd);
    }

    [Fact]
    public void An_epoch_completes_only_when_every_physical_cpu_has_reported_and_ends_when_all_have_halted()
    {
        var driver = new EpochDriver(2, 1000, false, true, TraceRecorder.Disabled);
        driver.Add(new VcpuKey(1, 0));
        driver.Add(new VcpuKey(2, 0));
        var perCpu = driver.Start();

        Assert.False(driver.Done(0, 1000, [perCpu[0][0] with { State = VcpuRunState.Halted }], new PhysicalCpuCounters(1000, 0, 1, 0, 1000)));
        Assert.True(driver.InFlight);
        Assert.False(driver.AllHalted);
        Assert.True(driver.Done(1, 1010, [perCpu[1][0] with { State = VcpuRunState.Halted }], new PhysicalCpuCounters(1010, 0, 1, 0, 1010)));

        Assert.False(driver.InFlight);
        Assert.True(driver.AllHalted);
        Assert.Equal([(0, 1000L), (1, 1010L)], driver.LastEpoch.Select(p => (p.Id, p.Clock)));
    }

    private static EpochDriver Complete(EpochDriver driver, IReadOnlyList<System.Collections.Immutable.ImmutableArray<VcpuSlot>> perCpu)
    {
        for (int p = 0; p < perCpu.Count; p++)
        {
            driver.Done(p, driver.EpochEnd, perCpu[p], new PhysicalCpuCounters(0, 0, 0, 0, 0));
        }

        driver.Start();
        return driver;
    }
}
