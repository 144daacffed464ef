using ActorVmm.Monitor.Tracing;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>A physical CPU's scheduling as pure logic: round robin in quanta, machine switches, idling to the next wake-up.</summary>
public sealed class RunQueueTests
{
    private static readonly VcpuKey A = new(1, 0);
    private static readonly VcpuKey B = new(2, 0);

    [Fact]
    public void Two_vcpus_alternate_and_only_a_change_of_vcpu_is_a_machine_switch()
    {
        var q = new RunQueue(0, TraceRecorder.Disabled);
        var steps = new List<SchedulerStep> { q.StartEpoch(3000, 1000, [VcpuSlot.Runnable(A), VcpuSlot.Runnable(B)]) };
        while (steps[^1].Kind == SchedulerStepKind.Dispatch)
        {
            steps.Add(q.OnYielded(steps[^1].Vcpu, YieldReason.QuantumEnd, steps[^1].Budget, 0, steps[^1].Budget));
        }

        var dispatches = steps.Where(s => s.Kind == SchedulerStepKind.Dispatch).ToList();
        Assert.Equal([A, B, A], dispatches.Select(d => d.Vcpu));
        Assert.Equal([false, true, true], dispatches.Select(d => d.MachineSwitch));
        Assert.Equal(SchedulerStepKind.EpochDone, steps[^1].Kind);
        Assert.Equal(new PhysicalCpuCounters(3000, 0, 3, 2, 3000), q.Counters);
    }

    [Fact]
    public void With_every_vcpu_waiting_the_clock_jumps_to_the_earliest_wake_up_and_that_time_is_idle()
    {
        var q = new RunQueue(0, TraceRecorder.Disabled);
        var first = q.StartEpoch(10_000, 1000, [VcpuSlot.Runnable(A)]);

        var next = q.OnYielded(first.Vcpu, YieldReason.Idle, cyclesUsed: 200, idleCycles: 4000, instructions: 150);

        Assert.Equal((SchedulerStepKind.Dispatch, A, 4200L), (next.Kind, next.Vcpu, q.Clock));
        Assert.Equal(4000, q.Counters.IdleCycles);
        Assert.False(next.MachineSwitch);
    }

    [Fact]
    public void A_halted_vcpu_is_not_dispatched_again_and_a_lost_one_counts_as_halted()
    {
        var q = new RunQueue(0, TraceRecorder.Disabled);
        var first = q.StartEpoch(5000, 1000, [VcpuSlot.Runnable(A), VcpuSlot.Runnable(B)]);
        var second = q.OnYielded(first.Vcpu, YieldReason.Halted, 100, 0, 100);
        Assert.Equal(B, second.Vcpu);

        var done = q.OnVcpuLost(B);

        Assert.Equal(SchedulerStepKind.EpochDone, done.Kind);
        Assert.All(done.Slots, s => Assert.Equal(VcpuRunState.Halted, s.State));
        Assert.Equal([100L, 100L], done.Slots.Select(s => s.HaltedAt));
    }
}
