using System.Collections.Immutable;
using System.Diagnostics;
using ActorVmm.Actors.Configuration;
using ActorVmm.Actors.Protocol;
using ActorVmm.Actors.Tracing;
using ActorVmm.Cpu.Board;
using Akka.Actor;
using static ActorVmm.Actors.Protocol.GuestVmProtocol;
using static ActorVmm.Actors.Protocol.PhysicalCpuProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// The root of a monitor run: builds the MemoryManager, the PhysicalCpus and the GuestVms
/// from a scenario, then drives the physical CPUs in lock-step epochs of simulated time,
/// deciding placement and balance only at epoch boundaries. When every VM has stopped it
/// gathers the counters and completes the run.
/// </summary>
public sealed class MonitorRoot : ReceiveActor
{
    private readonly MonitorSettings _settings;
    private readonly TaskCompletionSource<MonitorResult> _completion;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TraceRecorder _trace;
    private readonly IRunObserver? _observer;
    private int _vmsBooted;
    private readonly Dictionary<VcpuKey, VcpuSlot> _slots = new();
    private readonly Dictionary<VcpuKey, int> _placement = new();
    private readonly Dictionary<int, VmResult> _finished = new();
    private readonly Dictionary<int, string> _names = new();
    private readonly Dictionary<int, EpochDone> _epochReplies = new();
    private readonly Dictionary<VcpuKey, VirtualCpuProtocol.VcpuStatistics> _statistics = new();
    private IActorRef _memoryManager = ActorRefs.Nobody;
    private IActorRef[] _pcpus = [];
    private int _vmsStarting;
    private long _epochEnd;
    private long _epochs;
    private bool _running;
    private bool _epochInFlight;
    private bool _finishing;
    private List<EpochDone> _lastEpoch = new();
    private MemoryManagerProtocol.MemoryUsage? _memory;

    public MonitorRoot(MonitorSettings settings, TaskCompletionSource<MonitorResult> completion)
    {
        _settings = settings;
        _completion = completion;
        _trace = MonitorNode.Get(Context.System).Trace;
        _observer = MonitorNode.Get(Context.System).Observer;

        Receive<VmReady>(OnVmReady);
        Receive<VmFailed>(OnVmFailed);
        Receive<VmFinished>(OnVmFinished);
        Receive<EpochDone>(OnEpochDone);
        Receive<VirtualCpuProtocol.VcpuStatistics>(OnStatistics);
        Receive<MemoryManagerProtocol.MemoryUsage>(u =>
        {
            _memory = u;
            TryComplete();
        });
    }

    protected override void PreStart()
    {
        _memoryManager = Context.ActorOf(Props.Create(() => new MemoryManager()), "memory");
        _pcpus = Enumerable.Range(0, _settings.Machine.PhysicalCpus)
            .Select(i => Context.ActorOf(Props.Create(() => new PhysicalCpu(i, _settings.Scheduler.Quantum)), $"pcpu{i}"))
            .ToArray();
        _vmsStarting = _settings.Vms.Count;
        foreach (var vm in _settings.Vms)
        {
            _names[vm.Id] = vm.Name;
            var costs = _settings.Costs;
            int tlb = _settings.Machine.TlbEntries;
            Context.ActorOf(Props.Create(() => new GuestVm(vm, costs, tlb, _memoryManager, Self)), $"vm{vm.Id}");
        }
    }

    /// <summary>A failure anywhere under the root must not hang the run: stop that actor, the VM reports it.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void OnVmReady(VmReady ready)
    {
        _vmsBooted++;
        foreach (var vcpu in ready.Vcpus)
        {
            _slots[vcpu.Key] = new VcpuSlot(vcpu, VcpuRunState.Runnable, 0, -1, 0);
            _placement[vcpu.Key] = (ready.Vm - 1 + vcpu.Key.Vcpu) % _pcpus.Length;
        }

        VmStarted();
    }

    private void OnVmFailed(VmFailed failed)
    {
        _finished[failed.Vm] = new VmResult(failed.Vm, failed.Name,
            new MachineOutcome(MachineOutcomeKind.Crashed, -1, failed.Reason), "", null, failed.Reason);
        VmStarted();
    }

    private void VmStarted()
    {
        if (--_vmsStarting == 0)
        {
            _running = true;
            StartEpochOrFinish();
        }
    }

    private void OnVmFinished(VmFinished finished)
    {
        _finished[finished.Vm] = new VmResult(finished.Vm, finished.Name, finished.Outcome, finished.Console, null, null);
        if (!_epochInFlight)
        {
            StartEpochOrFinish(); // otherwise the epoch's end decides
        }
    }

    private void OnEpochDone(EpochDone done)
    {
        _epochReplies[done.Pcpu] = done;
        if (_epochReplies.Count < _pcpus.Length)
        {
            return;
        }

        foreach (var reply in _epochReplies.Values)
        {
            foreach (var slot in reply.Vcpus)
            {
                _slots[slot.Vcpu.Key] = slot;
            }
        }

        _lastEpoch = _epochReplies.Values.OrderBy(d => d.Pcpu).ToList();
        _epochReplies.Clear();
        _epochInFlight = false;
        int failed = _finished.Values.Count(v => v.FailureReason is not null);
        _observer?.Progress(new RunProgress(_epochs, _epochEnd, _settings.Vms.Count, _vmsBooted,
            _vmsBooted - (_finished.Count - failed), _finished.Count, _lastEpoch.Sum(d => d.Counters.GuestInstructions), _clock.Elapsed));
        StartEpochOrFinish();
    }

    private void StartEpochOrFinish()
    {
        if (_finishing || !_running)
        {
            return;
        }

        bool allHalted = _slots.Values.All(s => s.State == VcpuRunState.Halted);
        if (allHalted)
        {
            if (_finished.Count == _settings.Vms.Count)
            {
                Finish();
            }

            return; // a VM's last messages are still on their way
        }

        _epochInFlight = true;
        _epochs++;
        _epochEnd += _settings.Scheduler.Epoch;
        if (_settings.Scheduler.LoadBalancing)
        {
            LoadBalancer.Rebalance(_slots, _placement, _pcpus.Length, _settings.Scheduler.Affinity, _epochs);
        }

        _trace.Record(TraceKind.EpochStart, 0, 0, 0, 0, 0, (uint)_epochEnd, (uint)(_epochEnd >> 32));
        for (int p = 0; p < _pcpus.Length; p++)
        {
            var mine = _slots.Values
                .Where(s => s.State != VcpuRunState.Halted && _placement[s.Vcpu.Key] == p)
                .OrderBy(s => s.Vcpu.Key.Vm).ThenBy(s => s.Vcpu.Key.Vcpu)
                .ToImmutableArray();
            _pcpus[p].Tell(new RunEpoch(_epochEnd, mine));
        }
    }

    private void Finish()
    {
        _finishing = true;
        _observer?.Progress(new RunProgress(_epochs, _epochEnd, _settings.Vms.Count, _vmsBooted, 0, _finished.Count,
            _lastEpoch.Sum(d => d.Counters.GuestInstructions), _clock.Elapsed));
        foreach (var slot in _slots.Values)
        {
            slot.Vcpu.Ref.Tell(new VirtualCpuProtocol.GetStatistics());
        }

        _memoryManager.Tell(new MemoryManagerProtocol.GetUsage());
        TryComplete();
    }

    private void OnStatistics(VirtualCpuProtocol.VcpuStatistics statistics)
    {
        _statistics[statistics.Vcpu] = statistics;
        TryComplete();
    }

    private void TryComplete()
    {
        if (!_finishing || _memory is null || _statistics.Count < _slots.Count)
        {
            return;
        }

        var vms = _settings.Vms.Select(vm =>
        {
            var result = _finished[vm.Id];
            var stats = _statistics.Values.FirstOrDefault(s => s.Vcpu.Vm == vm.Id);
            long finishedAt = _slots.Values.Where(s => s.Vcpu.Key.Vm == vm.Id).Select(s => s.HaltedAt).DefaultIfEmpty(0).Max();
            return result with { Statistics = stats, FinishedAt = finishedAt };
        }).ToList();
        var pcpus = _lastEpoch.Select(d => new PhysicalCpuResult(d.Pcpu, d.Clock, d.Counters)).ToList();
        _completion.TrySetResult(new MonitorResult(_settings, vms, pcpus, _memory, _epochs, _clock.Elapsed));
    }
}
