using System.Collections.Immutable;
using ActorVmm.Monitor;
using ActorVmm.Actors.Tests.Support;
using Akka.Actor;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;
using static ActorVmm.Actors.PhysicalCpuProtocol;
using static ActorVmm.Actors.VirtualCpuProtocol;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// The PhysicalCpu actor's scheduling, with vCPUs that are test probes answering each
/// Dispatch from a script: round robin, machine switches, budgets, idling until a wake-up
/// time, the epoch's end and its counters. The test is the monitor (it sends RunEpoch and
/// receives EpochDone); every dispatch is logged, in order, to a separate probe.
/// </summary>
public sealed class PhysicalCpuSpec : NodeSpec
{
    private const int PcpuId = 1;
    private const long Quantum = 1000;

    private readonly TestProbe _log;
    private readonly IActorRef _pcpu;
    private readonly Dictionary<VcpuKey, IActorRef> _refs = new();

    public PhysicalCpuSpec(ITestOutputHelper output)
        : base(1u << 20, output)
    {
        _log = CreateTestProbe("dispatch-log");
        _pcpu = Sys.ActorOf(Props.Create(() => new PhysicalCpu(PcpuId)), "pcpu");
    }

    /// <summary>What a scripted vCPU saw: which vCPU, its n-th dispatch, and the dispatch itself.</summary>
    private sealed record Dispatched(int Vm, int Nth, Dispatch Dispatch);

    [Fact]
    public void Two_vcpus_alternate_and_a_machine_switch_is_flagged_exactly_when_the_vcpu_changes()
    {
        var a = Vcpu(1, UseBudget);
        var b = Vcpu(2, UseBudget);

        var done = RunEpoch(4000, a, b);

        var log = Dispatches(done);
        Assert.Equal([1, 2, 1, 2], log.Select(d => d.Vm));
        Assert.Equal([false, true, true, true], log.Select(d => d.Dispatch.MachineSwitch));
        Assert.All(log, d => Assert.Equal((PcpuId, Quantum), (d.Dispatch.Pcpu, d.Dispatch.Budget)));
        Assert.Equal((PcpuId, 4000L), (done.Pcpu, done.Clock));
        Assert.Equal(new PhysicalCpuCounters(4000, 0, 4, 3, 4000), done.Counters);
        Assert.Equal([(1, VcpuRunState.Runnable, 2000L, PcpuId), (2, VcpuRunState.Runnable, 2000L, PcpuId)],
            done.Vcpus.Select(s => (s.Key.Vm, s.State, s.BusyCyclesLastEpoch, s.LastPcpu)));
    }

    [Fact]
    public void A_vcpu_alone_is_never_dispatched_with_a_machine_switch()
    {
        var a = Vcpu(1, UseBudget);

        var done = RunEpoch(3000, a);

        var log = Dispatches(done);
        Assert.Equal(3, log.Count);
        Assert.All(log, d => Assert.False(d.Dispatch.MachineSwitch));
        Assert.Equal(new PhysicalCpuCounters(3000, 0, 3, 0, 3000), done.Counters);

        // Nor in the next epoch: the same vCPU is still loaded.
        var next = RunEpoch(5000, done.Vcpus);
        Assert.All(Dispatches(next, already: 3), d => Assert.False(d.Dispatch.MachineSwitch));
        Assert.Equal(new PhysicalCpuCounters(5000, 0, 5, 0, 5000), next.Counters);
    }

    [Fact]
    public void Budgets_never_exceed_the_quantum_or_what_is_left_of_the_epoch_even_when_a_vcpu_overruns()
    {
        // Each dispatch uses 30 cycles more than it was given (a machine switch, a trap).
        var a = Vcpu(1, (d, _) => Yield(1, YieldReason.QuantumEnd, d.Budget + 30));

        var done = RunEpoch(2500, a);

        Assert.Equal([1000L, 1000L, 440L], Dispatches(done).Select(d => d.Dispatch.Budget));
        Assert.Equal(2530, done.Clock);
        Assert.True(done.Clock >= 2500);
        Assert.Equal(new PhysicalCpuCounters(2530, 0, 3, 0, 2530), done.Counters);
    }

    [Fact]
    public void A_vcpu_that_yields_early_gets_the_next_turn_at_the_clock_it_reached()
    {
        var a = Vcpu(1, (d, n) => Yield(1, YieldReason.QuantumEnd, n == 0 ? 250 : d.Budget));

        var done = RunEpoch(2000, a);

        Assert.Equal([1000L, 1000L, 750L], Dispatches(done).Select(d => d.Dispatch.Budget));
        Assert.Equal(new PhysicalCpuCounters(2000, 0, 3, 0, 2000), done.Counters);
    }

    [Fact]
    public void An_idle_vcpu_stays_out_until_its_wake_time_while_the_other_runs()
    {
        // A waits for an interrupt 3000 cycles away after using 100: it may run again at 3100.
        var a = Vcpu(1, (d, n) => n == 0 ? Yield(1, YieldReason.Idle, 100, idle: 3000) : Yield(1, YieldReason.QuantumEnd, d.Budget));
        var b = Vcpu(2, UseBudget);

        var done = RunEpoch(6000, a, b);

        var log = Dispatches(done);
        Assert.Equal([1, 2, 2, 2, 1, 2, 1], log.Select(d => d.Vm));
        Assert.Equal([1000L, 1000L, 1000L, 1000L, 1000L, 1000L, 900L], log.Select(d => d.Dispatch.Budget));
        Assert.Equal([false, true, false, false, true, true, true], log.Select(d => d.Dispatch.MachineSwitch));
        Assert.Equal(6000, done.Clock);
        Assert.Equal(new PhysicalCpuCounters(6000, 0, 7, 4, 6000), done.Counters);
    }

    [Fact]
    public void With_nothing_else_to_run_the_wait_for_a_wake_time_is_idle_time()
    {
        var a = Vcpu(1, (d, n) => n == 0 ? Yield(1, YieldReason.Idle, 100, idle: 3000) : Yield(1, YieldReason.QuantumEnd, d.Budget));

        var done = RunEpoch(5000, a);

        Assert.Equal([1000L, 1000L, 900L], Dispatches(done).Select(d => d.Dispatch.Budget));
        Assert.Equal(5000, done.Clock);
        Assert.Equal(new PhysicalCpuCounters(2000, 3000, 3, 0, 2000), done.Counters);
        Assert.Equal(done.Clock, done.Counters.BusyCycles + done.Counters.IdleCycles);
    }

    [Fact]
    public void A_vcpu_idle_past_the_epoch_is_reported_idle_with_its_wake_time_and_waits_into_the_next_epoch()
    {
        var a = Vcpu(1, (d, n) => n == 0 ? Yield(1, YieldReason.Idle, 100, idle: 10_000) : Yield(1, YieldReason.Halted, 50));

        var first = RunEpoch(5000, a);

        Assert.Single(Dispatches(first));
        Assert.Equal(5000, first.Clock);
        var slot = Assert.Single(first.Vcpus);
        Assert.Equal((VcpuRunState.Idle, 10_100L, 100L), (slot.State, slot.WakeAt, slot.BusyCyclesLastEpoch));
        Assert.Equal(new PhysicalCpuCounters(100, 4900, 1, 0, 100), first.Counters);

        var second = RunEpoch(15_000, first.Vcpus);

        Assert.Single(Dispatches(second, already: 1)); // once, at 10,100, when it halts
        Assert.Equal(15_000, second.Clock);
        slot = Assert.Single(second.Vcpus);
        Assert.Equal((VcpuRunState.Halted, 50L), (slot.State, slot.BusyCyclesLastEpoch));
        Assert.Equal(new PhysicalCpuCounters(150, 4900 + 5100 + 4850, 2, 0, 150), second.Counters);
        Assert.Equal(second.Clock, second.Counters.BusyCycles + second.Counters.IdleCycles);
    }

    [Fact]
    public void Halted_vcpus_are_not_dispatched_again()
    {
        var a = Vcpu(1, (_, _) => Yield(1, YieldReason.Halted, 300));
        var b = Vcpu(2, UseBudget);

        var done = RunEpoch(3000, a, b);

        var log = Dispatches(done);
        Assert.Equal([1, 2, 2, 2], log.Select(d => d.Vm));
        Assert.Equal([1000L, 1000L, 1000L, 700L], log.Select(d => d.Dispatch.Budget));
        Assert.Equal(3000, done.Clock);
        Assert.Equal([VcpuRunState.Halted, VcpuRunState.Runnable], done.Vcpus.Select(s => s.State));
        Assert.Equal(new PhysicalCpuCounters(3000, 0, 4, 1, 3000), done.Counters);
    }

    [Fact]
    public void A_vcpu_that_stops_while_dispatched_counts_as_halted_and_the_epoch_still_ends()
    {
        var a = Vcpu(1, (_, _) => null); // never answers
        var b = Vcpu(2, UseBudget);
        _pcpu.Tell(new RunEpoch(3000, Quantum, [Slot(a), Slot(b)]));
        var first = _log.ExpectMsg<Dispatched>();
        Assert.Equal(1, first.Vm);

        Sys.Stop(a.Ref);

        var done = ExpectMsg<EpochDone>();
        Assert.Equal([2, 2, 2], _log.ReceiveN(3).Cast<Dispatched>().Select(d => d.Vm));
        Assert.Equal(3000, done.Clock);
        Assert.Equal([VcpuRunState.Halted, VcpuRunState.Runnable], done.Vcpus.Select(s => s.State));
        Assert.Equal(4, done.Counters.Dispatches);
        Assert.Equal((3000L, 0L), (done.Counters.BusyCycles, done.Counters.IdleCycles));
    }

    [Fact]
    public void The_vcpu_after_one_that_died_while_dispatched_is_dispatched_with_a_machine_switch()
    {
        // A ran (it was dispatched) and died; B's VM must be restored and the TLB flushed.
        var a = Vcpu(1, (_, _) => null);
        var b = Vcpu(2, UseBudget);
        _pcpu.Tell(new RunEpoch(1000, Quantum, [Slot(a), Slot(b)]));
        _log.ExpectMsg<Dispatched>(d => d.Vm == 1);

        Sys.Stop(a.Ref);

        var next = _log.ExpectMsg<Dispatched>(d => d.Vm == 2);
        Assert.True(next.Dispatch.MachineSwitch, "B followed A on this CPU: a machine switch");
        Assert.Equal(1, ExpectMsg<EpochDone>().Counters.MachineSwitches);
    }

    [Fact]
    public void The_only_vcpu_stopping_while_dispatched_leaves_the_rest_of_the_epoch_idle()
    {
        var a = Vcpu(1, (d, n) => n == 0 ? Yield(1, YieldReason.QuantumEnd, d.Budget) : null);
        _pcpu.Tell(new RunEpoch(5000, Quantum, [Slot(a)]));
        _log.ExpectMsg<Dispatched>(d => d.Nth == 0);
        _log.ExpectMsg<Dispatched>(d => d.Nth == 1);

        Sys.Stop(a.Ref);

        var done = ExpectMsg<EpochDone>();
        Assert.Equal(5000, done.Clock);
        Assert.Equal(VcpuRunState.Halted, Assert.Single(done.Vcpus).State);
        Assert.Equal(new PhysicalCpuCounters(1000, 4000, 2, 0, 1000), done.Counters);
    }

    [Fact]
    public void A_stray_yield_from_a_vcpu_that_is_not_running_changes_nothing()
    {
        var a = Vcpu(1, UseBudget);
        _pcpu.Tell(new Yielded(new VcpuKey(9, 0), YieldReason.QuantumEnd, 1_000_000, 0, 5));

        var done = RunEpoch(2000, a);

        Assert.Equal(2000, done.Clock);
        Assert.Equal(new PhysicalCpuCounters(2000, 0, 2, 0, 2000), done.Counters);
    }

    /// <summary>
    /// Round robin over the epochs, not only within one: with three vCPUs and an epoch of four
    /// quanta, each gets four quanta in three epochs. (Restarting from the first vCPU at
    /// every epoch would give the first one two quanta every epoch.)
    /// </summary>
    [Fact]
    public void Round_robin_carries_on_across_epochs_so_every_vcpu_gets_an_equal_share()
    {
        var vcpus = new[] { Vcpu(1, UseBudget), Vcpu(2, UseBudget), Vcpu(3, UseBudget) };
        var slots = vcpus.Select(v => VcpuSlot.Runnable(v.Key)).ToImmutableArray();
        var busy = new Dictionary<int, long> { [1] = 0, [2] = 0, [3] = 0 };
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            var done = RunEpoch(epoch * 4000L, slots);
            foreach (var s in done.Vcpus)
            {
                busy[s.Key.Vm] += s.BusyCyclesLastEpoch;
            }

            slots = done.Vcpus;
        }

        Assert.Equal(new Dictionary<int, long> { [1] = 4000, [2] = 4000, [3] = 4000 }, busy);
    }

    // ---- helpers -------------------------------------------------------------------------

    private static Yielded? UseBudget(Dispatch d, int nth) => new(default, YieldReason.QuantumEnd, d.Budget, 0, Instructions: d.Budget);

    private static Yielded Yield(int vm, YieldReason reason, long cycles, long idle = 0) =>
        new(new VcpuKey(vm, 0), reason, cycles, idle, Instructions: cycles);

    /// <summary>
    /// A vCPU played by a probe: it logs each Dispatch and answers with the script's Yielded
    /// (keyed to this vCPU), or does not answer when the script returns null.
    /// </summary>
    private VcpuHandle Vcpu(int vm, Func<Dispatch, int, Yielded?> script)
    {
        var probe = CreateTestProbe($"vcpu{vm}");
        var key = new VcpuKey(vm, 0);
        int nth = 0;
        probe.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is Dispatch dispatch)
            {
                int n = nth++;
                _log.Ref.Tell(new Dispatched(vm, n, dispatch));
                if (script(dispatch, n) is { } yielded)
                {
                    sender.Tell(yielded with { Vcpu = key }, probe.Ref);
                }
            }

            return AutoPilot.KeepRunning;
        }));
        _refs[key] = probe.Ref;
        return new VcpuHandle(key, probe.Ref);
    }

    private static VcpuAssignment Slot(VcpuHandle vcpu) => new(VcpuSlot.Runnable(vcpu.Key), vcpu.Ref);

    private EpochDone RunEpoch(long end, params VcpuHandle[] vcpus) => RunEpoch(end, vcpus.Select(v => VcpuSlot.Runnable(v.Key)).ToImmutableArray());

    private EpochDone RunEpoch(long end, ImmutableArray<VcpuSlot> slots)
    {
        _pcpu.Tell(new RunEpoch(end, Quantum, slots.Select(s => new VcpuAssignment(s, _refs[s.Key])).ToImmutableArray()));
        var done = ExpectMsg<EpochDone>();
        Assert.True(done.Clock >= end, $"the epoch ended at {done.Clock}, before {end}");
        return done;
    }

    /// <summary>The dispatches of the epoch just done, in order; their number is the counter's.</summary>
    private List<Dispatched> Dispatches(EpochDone done, long already = 0)
    {
        int count = (int)(done.Counters.Dispatches - already);
        var log = _log.ReceiveN(count).Cast<Dispatched>().ToList();
        _log.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        return log;
    }
}
