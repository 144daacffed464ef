using System.Collections.Immutable;
using System.Diagnostics;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using Akka.Actor;
using static ActorVmm.Actors.MonitorRootProtocol;
using static ActorVmm.Actors.PhysicalCpuProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// The root of a monitor run: builds the MemoryManager, the PhysicalCpus and the GuestVms
/// from a scenario, then drives the physical CPUs in lock-step epochs of simulated time
/// (<see cref="EpochDriver"/>), deciding placement and balance only at epoch boundaries.
/// States: starting (VMs boot), running (epochs), finishing (gathering every vCPU's counters
/// and the memory usage); then the run's result is complete.
/// </summary>
public sealed class MonitorRoot : UntypedActor
{
    private readonly MonitorSettings _settings;
    private readonly TaskCompletionSource<MonitorResult> _completion;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly IRunObserver? _observer;
    private readonly EpochDriver _epochs;
    private readonly Dictionary<VcpuKey, IActorRef> _vcpus = new();
    private readonly Dictionary<int, VmResult> _finished = new();
    private readonly Dictionary<VcpuKey, VcpuStatistics> _statistics = new();
    private IActorRef _memoryManager = ActorRefs.Nobody;
    private IActorRef[] _pcpus = [];
    private int _vmsBooted;
    private int _vmsStarting;
    private MemoryUsage? _memory;
    private int _remapsPending;

    public MonitorRoot(MonitorSettings settings, TaskCompletionSource<MonitorResult> completion)
    {
        _settings = settings;
        _completion = completion;
        var node = MonitorNode.Get(Context.System);
        _observer = node.Observer;
        var s = settings.Scheduler;
        _epochs = new EpochDriver(settings.Machine.PhysicalCpus, s.Epoch, s.LoadBalancing, s.Affinity, node.Trace);
    }

    protected override void PreStart()
    {
        var sharing = _settings.Sharing;
        _memoryManager = Context.ActorOf(Props.Create(() => new MemoryManager(sharing)), "memory");
        _pcpus = Enumerable.Range(0, _settings.Machine.PhysicalCpus)
            .Select(i => Context.ActorOf(Props.Create(() => new PhysicalCpu(i, _settings.Scheduler.Quantum)), $"pcpu{i}"))
            .ToArray();
        _vmsStarting = _settings.Vms.Count;
        foreach (var vm in _settings.Vms)
        {
            var costs = _settings.Costs;
            int tlb = _settings.Machine.TlbEntries;
            Context.ActorOf(Props.Create(() => new GuestVm(vm, costs, tlb, _memoryManager, Self)), $"vm{vm.Id}");
        }

        if (_vmsStarting == 0)
        {
            Run();
        }
    }

    /// <summary>A failure anywhere under the root must not hang the run: stop that actor, the VM reports it.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void OnReceive(object message) => Starting(message);

    private void Starting(object message)
    {
        switch (message)
        {
            case VmReady ready:
                _vmsBooted++;
                foreach (var vcpu in ready.Vcpus)
                {
                    _vcpus[vcpu.Key] = vcpu.Ref;
                    _epochs.Add(vcpu.Key);
                }

                VmStarted();
                break;
            case VmFailed failed:
                _finished[failed.Vm] = new VmResult(failed.Vm, failed.Name,
                    new MachineOutcome(MachineOutcomeKind.Crashed, -1, failed.Reason), "", null, failed.Reason);
                VmStarted();
                break;
            case VmFinished finished:
                Finished(finished);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void VmStarted()
    {
        if (--_vmsStarting == 0)
        {
            Run();
        }
    }

    private void Run()
    {
        Become(Running);
        StartEpochOrFinish();
    }

    private void Running(object message)
    {
        switch (message)
        {
            case EpochDone done:
                if (_epochs.Done(done.Pcpu, done.Clock, done.Vcpus, done.Counters))
                {
                    Progress(_vmsBooted - (_finished.Count - _finished.Values.Count(v => v.FailureReason is not null)));
                    ScanOrStartEpoch();
                }

                break;
            case VmFinished finished:
                Finished(finished);
                if (!_epochs.InFlight)
                {
                    StartEpochOrFinish(); // otherwise the epoch's end decides
                }

                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// Between epochs no vCPU runs: the moment for the content scan of page sharing, whose
    /// merges every affected vCPU must take in before the next epoch starts.
    /// </summary>
    private void ScanOrStartEpoch()
    {
        _memoryManager.Tell(new MemoryManagerProtocol.EpochEnded(_epochs.Epochs));
        if (!_settings.Sharing.Content || _epochs.AllHalted)
        {
            StartEpochOrFinish();
            return;
        }

        var running = _epochs.Slots.Values.Where(s => s.State != VcpuRunState.Halted).Select(s => s.Key.Vm).Distinct().ToImmutableArray();
        _memoryManager.Tell(new MemoryManagerProtocol.ScanForSharing(_settings.Sharing.ScanRate, running));
        Become(Sharing);
    }

    private void Sharing(object message)
    {
        switch (message)
        {
            case MemoryManagerProtocol.SharingScanned scanned:
                foreach (var remap in scanned.Remaps)
                {
                    foreach (var (key, vcpu) in _vcpus.Where(v => v.Key.Vm == remap.Vm))
                    {
                        vcpu.Tell(new VirtualCpuProtocol.RemapPages(remap.Mappings));
                        _remapsPending++;
                    }
                }

                ResumeAfterSharing();
                break;
            case VirtualCpuProtocol.PagesRemapped:
                _remapsPending--;
                ResumeAfterSharing();
                break;
            case VmFinished finished:
                Finished(finished);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void ResumeAfterSharing()
    {
        if (_remapsPending == 0)
        {
            Become(Running);
            StartEpochOrFinish();
        }
    }

    private void Finished(VmFinished finished) =>
        _finished[finished.Vm] = new VmResult(finished.Vm, finished.Name, finished.Outcome, finished.Console, null, null);

    private void StartEpochOrFinish()
    {
        if (_epochs.AllHalted)
        {
            if (_finished.Count == _settings.Vms.Count)
            {
                Finish();
            }

            return; // a VM's last messages are still on their way
        }

        var perCpu = _epochs.Start();
        for (int p = 0; p < _pcpus.Length; p++)
        {
            var assigned = perCpu[p].Select(s => new VcpuAssignment(s, _vcpus[s.Key])).ToImmutableArray();
            _pcpus[p].Tell(new RunEpoch(_epochs.EpochEnd, assigned));
        }
    }

    private void Finish()
    {
        Become(Finishing);
        Progress(0);
        foreach (var vcpu in _vcpus.Values)
        {
            vcpu.Tell(new VirtualCpuProtocol.GetStatistics());
        }

        _memoryManager.Tell(new MemoryManagerProtocol.GetUsage());
        TryComplete();
    }

    private void Finishing(object message)
    {
        switch (message)
        {
            case VcpuStatistics statistics:
                _statistics[statistics.Vcpu] = statistics;
                TryComplete();
                break;
            case MemoryUsage usage:
                _memory = usage;
                TryComplete();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Progress(int running) =>
        _observer?.Progress(new RunProgress(_epochs.Epochs, _epochs.EpochEnd, _settings.Vms.Count, _vmsBooted, running, _finished.Count,
            _epochs.LastEpoch.Sum(d => d.Counters.GuestInstructions), _clock.Elapsed));

    private void TryComplete()
    {
        if (_memory is null || _statistics.Count < _vcpus.Count)
        {
            return;
        }

        var vms = _settings.Vms.Select(vm =>
        {
            var result = _finished[vm.Id];
            var stats = _statistics.Values.FirstOrDefault(s => s.Vcpu.Vm == vm.Id);
            long finishedAt = _epochs.Slots.Values.Where(s => s.Key.Vm == vm.Id).Select(s => s.HaltedAt).DefaultIfEmpty(0).Max();
            return result with { Statistics = stats, FinishedAt = finishedAt };
        }).ToList();
        _completion.TrySetResult(new MonitorResult(_settings, vms, _epochs.LastEpoch, _memory, _epochs.Epochs, _clock.Elapsed));
        Become(Done);
    }

    private void Done(object message)
    {
    }
}
