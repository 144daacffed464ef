using System.Collections.Immutable;
using ActorVmm.Actors.Protocol;
using ActorVmm.Actors.Tracing;
using Akka.Actor;
using static ActorVmm.Actors.Protocol.PhysicalCpuProtocol;
using static ActorVmm.Actors.Protocol.VirtualCpuProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// One simulated processor: a run queue, a quantum, a simulated clock. Within an epoch it
/// dispatches its runnable vCPUs round robin; when the next one is not the one it ran last,
/// that is a machine switch (the vCPU flushes the machine TLB, as Disco did). With nothing
/// runnable its clock jumps to the next wake-up or the epoch's end, and that time is idle.
/// Every decision depends on simulated cycles only.
/// </summary>
public sealed class PhysicalCpu : ReceiveActor
{
    private readonly int _id;
    private readonly long _quantum;
    private readonly TraceRecorder _trace;
    private readonly HashSet<IActorRef> _watched = new();
    private List<Entry> _queue = new();
    private IActorRef _monitor = ActorRefs.Nobody;
    private long _clock;
    private long _epochEnd;
    private int _cursor;
    private Entry? _running;
    private VcpuKey? _last;
    private long _busy;
    private long _idle;
    private long _dispatches;
    private long _switches;
    private long _instructions;

    public PhysicalCpu(int id, long quantum)
    {
        _id = id;
        _quantum = quantum;
        _trace = MonitorNode.Get(Context.System).Trace;
        Receive<RunEpoch>(OnRunEpoch);
        Receive<Yielded>(OnYielded);
        Receive<Terminated>(OnTerminated);
    }

    private void OnRunEpoch(RunEpoch epoch)
    {
        _monitor = Sender;
        _epochEnd = epoch.EpochEnd;
        _queue = epoch.Vcpus.Select(s => new Entry(s)).ToList();
        // Round robin carries on across epochs: start after the vCPU this CPU ran last.
        int last = _last is { } key ? _queue.FindIndex(e => e.Key == key) : -1;
        _cursor = last < 0 ? 0 : (last + 1) % Math.Max(1, _queue.Count);
        foreach (var entry in _queue)
        {
            if (_watched.Add(entry.Slot.Vcpu.Ref))
            {
                Context.Watch(entry.Slot.Vcpu.Ref);
            }
        }

        Next();
    }

    private void Next()
    {
        while (true)
        {
            if (_clock >= _epochEnd)
            {
                var slots = _queue.Select(e => e.Slot with { State = e.State, WakeAt = e.WakeAt, BusyCyclesLastEpoch = e.Busy }).ToImmutableArray();
                _monitor.Tell(new EpochDone(_id, _clock, slots, new PhysicalCpuCounters(_busy, _idle, _dispatches, _switches, _instructions)));
                return;
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

                _idle += wake - _clock;
                _clock = wake;
                continue;
            }

            bool machineSwitch = _last is { } last && last != next.Key;
            if (machineSwitch)
            {
                _switches++;
                _trace.Record(TraceKind.MachineSwitch, next.Key.Vm, next.Key.Vcpu, _id, 0, 0, (uint)_last!.Value.Vm, (uint)next.Key.Vm);
            }

            long budget = Math.Min(_quantum, _epochEnd - _clock);
            _running = next;
            _last = next.Key; // it holds the CPU now, even if it never yields (a vCPU that dies)
            _dispatches++;
            _trace.Record(TraceKind.Dispatch, next.Key.Vm, next.Key.Vcpu, _id, 0, machineSwitch ? (ushort)1 : (ushort)0, (uint)budget);
            next.Slot.Vcpu.Ref.Tell(new Dispatch(_id, budget, machineSwitch));
            return;
        }
    }

    /// <summary>Round robin from the cursor; an idle vCPU whose wake-up time has come is runnable again.</summary>
    private Entry? PickRunnable()
    {
        for (int i = 0; i < _queue.Count; i++)
        {
            var e = _queue[(_cursor + i) % _queue.Count];
            if (e.State == VcpuRunState.Idle && e.WakeAt <= _clock)
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

    private void OnYielded(Yielded y)
    {
        var entry = _running;
        if (entry is null || entry.Key != y.Vcpu)
        {
            return; // a vCPU that already counted as halted
        }

        _running = null;
        _clock += y.CyclesUsed;
        _busy += y.CyclesUsed;
        _instructions += y.Instructions;
        entry.Busy += y.CyclesUsed;
        entry.Slot = entry.Slot with { LastPcpu = _id };
        switch (y.Reason)
        {
            case YieldReason.Idle:
                entry.State = VcpuRunState.Idle;
                entry.WakeAt = _clock + y.IdleCycles;
                break;
            case YieldReason.Halted:
                entry.State = VcpuRunState.Halted;
                entry.Slot = entry.Slot with { HaltedAt = _clock };
                break;
        }

        Next();
    }

    /// <summary>A vCPU that died (a simulator error in it) counts as halted, so the epoch can end.</summary>
    private void OnTerminated(Terminated t)
    {
        _watched.Remove(t.ActorRef);
        foreach (var e in _queue.Where(e => e.Slot.Vcpu.Ref.Equals(t.ActorRef)))
        {
            e.State = VcpuRunState.Halted;
            e.Slot = e.Slot with { HaltedAt = _clock };
        }

        if (_running is not null && _running.Slot.Vcpu.Ref.Equals(t.ActorRef))
        {
            _running = null;
            Next();
        }
    }

    private sealed class Entry(VcpuSlot slot)
    {
        public VcpuSlot Slot { get; set; } = slot;

        public VcpuKey Key => Slot.Vcpu.Key;

        public VcpuRunState State { get; set; } = slot.State;

        public long WakeAt { get; set; } = slot.WakeAt;

        public long Busy { get; set; }
    }
}
