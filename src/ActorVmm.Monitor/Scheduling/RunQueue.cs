using System.Collections.Immutable;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Monitor;

/// <summary>
/// One physical CPU's scheduling, without actors: a run queue, a quantum, a simulated clock.
/// Within an epoch it dispatches its runnable vCPUs round robin; when the next one is not the
/// one it ran last, that is a machine switch. With nothing runnable its clock jumps to the
/// next wake-up or the epoch's end, and that time is idle. Every decision depends on
/// simulated cycles only.
/// </summary>
public sealed class RunQueue(int pcpu, TraceRecorder trace)
{
    private long _quantum;
    private List<Entry> _queue = new();
    private long _epochEnd;
    private int _cursor;
    private Entry? _running;
    private VcpuKey? _last;
    private long _busy;
    private long _idle;
    private long _dispatches;
    private long _switches;
    private long _instructions;

    public int Pcpu => pcpu;

    public long Clock { get; private set; }

    public PhysicalCpuCounters Counters => new(_busy, _idle, _dispatches, _switches, _instructions);

    /// <summary>The vCPU dispatched and not yet yielded, if any.</summary>
    public VcpuKey? Running => _running?.Slot.Key;

    /// <summary>Run <paramref name="vcpus"/> in quanta of <paramref name="quantum"/> cycles until the clock reaches <paramref name="epochEnd"/>.</summary>
    public SchedulerStep StartEpoch(long epochEnd, long quantum, IEnumerable<VcpuSlot> vcpus)
    {
        _epochEnd = epochEnd;
        _quantum = quantum;
        _queue = vcpus.Select(s => new Entry(s)).ToList();
        // Round robin carries on across epochs: start after the vCPU this CPU ran last.
        int last = _last is { } key ? _queue.FindIndex(e => e.Slot.Key == key) : -1;
        _cursor = last < 0 ? 0 : (last + 1) % Math.Max(1, _queue.Count);
        return Next();
    }

    /// <summary>The running vCPU gave the CPU back after <paramref name="cyclesUsed"/> cycles.</summary>
    public SchedulerStep OnYielded(VcpuKey vcpu, YieldReason reason, long cyclesUsed, long idleCycles, long instructions)
    {
        var entry = _running;
        if (entry is null || entry.Slot.Key != vcpu)
        {
            return SchedulerStep.None; // a vCPU that already counted as halted
        }

        _running = null;
        Clock += cyclesUsed;
        _busy += cyclesUsed;
        _instructions += instructions;
        entry.Busy += cyclesUsed;
        entry.Slot = entry.Slot with { LastPcpu = pcpu };
        switch (reason)
        {
            case YieldReason.Idle:
                entry.State = VcpuRunState.Idle;
                entry.WakeAt = Clock + idleCycles;
                break;
            case YieldReason.Halted:
                entry.State = VcpuRunState.Halted;
                entry.Slot = entry.Slot with { HaltedAt = Clock };
                break;
        }

        return Next();
    }

    /// <summary>A vCPU that died (a simulator error in it) counts as halted, so the epoch can end.</summary>
    public SchedulerStep OnVcpuLost(VcpuKey vcpu)
    {
        foreach (var e in _queue.Where(e => e.Slot.Key == vcpu))
        {
            e.State = VcpuRunState.Halted;
            e.Slot = e.Slot with { HaltedAt = Clock };
        }

        if (_running is not null && _running.Slot.Key == vcpu)
        {
            _running = null;
            return Next();
        }

        return SchedulerStep.None;
    }

    private SchedulerStep Next()
    {
        while (true)
        {
            if (Clock >= _epochEnd)
            {
                var slots = _queue.Select(e => e.Slot with { State = e.State, WakeAt = e.WakeAt, BusyCyclesLastEpoch = e.Busy }).ToImmutableArray();
                return new SchedulerStep(SchedulerStepKind.EpochDone, Slots: slots);
            }

            var next = PickRunnable();
            if (next is null)
            {
                long wake = _epochEnd;
                foreach (var e in _queue)
                {
                    if (e.State == VcpuRunState.Idle && e.WakeAt < wake)
                    {
                        wake = e.WakeAt;
                    }
                }

                _idle += wake - Clock;
                Clock = wake;
                continue;
            }

            var key = next.Slot.Key;
            bool machineSwitch = _last is { } last && last != key;
            if (machineSwitch)
            {
                _switches++;
                trace.Record(key.Vm, key.Vcpu, pcpu, Clock, 0, new MachineSwitchEvent(_last!.Value.Vm, key.Vm));
            }

            long budget = Math.Min(_quantum, _epochEnd - Clock);
            _running = next;
            _last = key; // it holds the CPU now, even if it never yields (a vCPU that dies)
            _dispatches++;
            trace.Record(key.Vm, key.Vcpu, pcpu, Clock, 0, new DispatchEvent(budget, machineSwitch));
            return new SchedulerStep(SchedulerStepKind.Dispatch, key, budget, machineSwitch);
        }
    }

    /// <summary>Round robin from the cursor; an idle vCPU whose wake-up time has come is runnable again.</summary>
    private Entry? PickRunnable()
    {
        for (int i = 0; i < _queue.Count; i++)
        {
            var e = _queue[(_cursor + i) % _queue.Count];
            if (e.State == VcpuRunState.Idle && e.WakeAt <= Clock)
            {
                e.State = VcpuRunState.Runnable;
            }

            if (e.State == VcpuRunState.Runnable)
            {
                _cursor = (_cursor + i + 1) % _queue.Count;
                return e;
            }
        }

        return null;
    }

    private sealed class Entry(VcpuSlot slot)
    {
        public VcpuSlot Slot { get; set; } = slot;

        public VcpuRunState State { get; set; } = slot.State;

        public long WakeAt { get; set; } = slot.WakeAt;

        public long Busy { get; set; }
    }
}
