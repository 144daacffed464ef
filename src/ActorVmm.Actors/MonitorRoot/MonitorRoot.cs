using System.Collections.Immutable;
using System.Diagnostics;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using Akka.Actor;
using Akka.Event;
using static ActorVmm.Actors.MonitorRootProtocol;
using static ActorVmm.Actors.PhysicalCpuProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// The root of a monitor run: starts the scenario's GuestVms on their nodes, then drives every
/// node's physical CPUs in lock-step epochs of simulated time (<see cref="EpochDriver"/>),
/// deciding placement, balance and (in a cluster) migration only at epoch boundaries, from
/// simulated-time facts. On one node the VMs are its children; in a cluster they are Sharding
/// entities reached through the region, and a move is a shard rebalance (docs/ARCHITECTURE.md,
/// "The cluster"). States: starting (VMs boot), running (epochs), moving (VMs change nodes
/// between two epochs), finishing (gathering memory usage); then the result is complete.
/// </summary>
public sealed class MonitorRoot : UntypedActor, IWithTimers
{
    private static readonly TimeSpan MoveTimeout = TimeSpan.FromSeconds(60);

    private readonly MonitorSettings _settings;
    private readonly Action<MonitorResult> _complete;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly IRunObserver? _observer;
    private readonly EpochDriver _epochs;
    private readonly ImmutableArray<NodeResources> _nodes;
    private readonly IActorRef? _region;
    private readonly IActorRef _console;
    private readonly IActorRef[] _pcpus;
    private readonly Dictionary<VcpuKey, IActorRef> _vcpus = new();
    private readonly Dictionary<int, VmResult> _finished = new();
    private readonly Dictionary<VcpuKey, VcpuStatistics> _statistics = new();
    private readonly Dictionary<int, int> _vmNode = new();
    private readonly Dictionary<int, List<VmPlacement>> _placements = new();
    private readonly Dictionary<int, long> _movedAt = new();
    private readonly Dictionary<int, (Migration Move, Stopwatch Clock)> _moving = new();
    private readonly List<MigrationRecord> _migrations = new();
    private readonly HashSet<int> _leaving = new();
    private readonly Dictionary<int, IActorRef> _drainWaiters = new();
    private readonly Dictionary<int, MemoryUsage> _memory = new();
    private readonly Dictionary<string, int> _nodeIndex;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string[] _nodeAddress;
    private readonly Dictionary<int, IActorRef> _vmRefs = new();
    private long _nextCheckpointAt;
    private int _checkpointsPending;
    private readonly MemoryAdmission _admission;
    private readonly Dictionary<int, VmSettings> _vmSettings;
    private readonly Dictionary<int, long> _admittedAt = new();
    private readonly HashSet<int> _releasing = new();
    private readonly HashSet<int> _statisticsWanted = new();
    private long _balancedAt = -1;
    private int _scansPending;
    private int _remapsPending;
    private int _vmsBooted;
    private int _vmsStarting;
    // Between two epochs, VMs' memory is being released or waiting VMs are booting: nothing else starts an epoch.
    private bool _admitting;

    /// <param name="nodes">The run's nodes (node0 first) with their memory managers and physical CPUs.</param>
    /// <param name="region">The Sharding region of the VMs in a cluster run; null on one node, where the VMs are this actor's children.</param>
    /// <param name="console">The ConsoleSink the VMs' consoles go to.</param>
    /// <param name="complete">Told the result once every VM has stopped (consoles are the sink's to add).</param>
    public MonitorRoot(MonitorSettings settings, Action<MonitorResult> complete, ImmutableArray<NodeResources> nodes, IActorRef? region, IActorRef console)
    {
        _settings = settings;
        _complete = complete;
        _nodes = nodes;
        _region = region;
        _console = console;
        _pcpus = nodes.SelectMany(n => n.PhysicalCpus).ToArray();
        _nodeIndex = nodes.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i);
        // Sharding knows regions by their node's address: the allocation strategy is answered in those terms.
        _nodeAddress = nodes.Select(n => n.Agent is null ? n.Name : NodeAddress.Of(n.Agent, Context.System).ToString()).ToArray();
        var services = MonitorNode.Get(Context.System);
        _observer = services.Observer;
        var s = settings.Scheduler;
        _epochs = new EpochDriver(nodes.Select(n => n.PhysicalCpus.Length).ToList(), s.Epoch, s.LoadBalancing, s.Affinity, services.Trace);
        ulong nodeMemory = region is null ? settings.Machine.MemoryBytes : settings.Cluster.NodeMemoryBytes;
        _admission = new MemoryAdmission([.. nodes.Select(_ => nodeMemory / MachinePage.Size)]);
        _vmSettings = settings.Vms.ToDictionary(v => v.Id);
    }

    /// <summary>A one-node run: the result completes <paramref name="completion"/>.</summary>
    public MonitorRoot(MonitorSettings settings, TaskCompletionSource<MonitorResult> completion, NodeResources node, IActorRef console)
        : this(settings, r => completion.TrySetResult(r), [node], null, console)
    {
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        var placement = MigrationPolicy.InitialPlacement(_settings.Vms.Select(v => (v.Id, v.Node)).ToList(), _nodes.Length);
        foreach (var vm in _settings.Vms.OrderBy(v => v.Id))
        {
            _vmNode[vm.Id] = placement[vm.Id];
            if (_admission.Request(vm.Id, placement[vm.Id], PagesOf(vm)))
            {
                _vmsStarting++;
                StartVm(vm);
            }
        }

        _nextCheckpointAt = _settings.Checkpoint.Every;
        if (_admission.Waiting > 0)
        {
            _log.Info("{Waiting} of {Vms} VMs wait for machine memory", _admission.Waiting, _settings.Vms.Count);
        }

        if (_vmsStarting == 0)
        {
            Run();
        }
    }

    private static ulong PagesOf(VmSettings vm) => ((ulong)vm.MemoryBytes + MachinePage.Size - 1) / MachinePage.Size;

    private void StartVm(VmSettings vm)
    {
        // Checkpoints are taken on one node (a cluster's VMs do not take them yet).
        string? checkpoints = _settings.Checkpoint.Enabled && _region is null
            ? VmCheckpoints.PersistenceIdOf(_settings.ScenarioName, vm.Id, vm.Name)
            : null;
        var start = new GuestVmProtocol.StartVm(vm, _settings.Costs, _settings.Machine.TlbEntries, Self, _console, checkpoints, _settings.Checkpoint.Resume, _settings.Checkpoint.Restore);
        if (_region is null)
        {
            Context.ActorOf(Props.Create(() => new GuestVm(false)), $"vm{vm.Id}").Tell(start);
        }
        else
        {
            _region.Tell(start);
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
                _vmRefs[ready.Vm] = Sender;
                int node = _nodeIndex.GetValueOrDefault(ready.Node, _vmNode[ready.Vm]);
                _vmNode[ready.Vm] = node;
                _placements[ready.Vm] = [new VmPlacement(_epochs.Epochs, _epochs.EpochEnd, ready.Node)];
                foreach (var vcpu in ready.Vcpus)
                {
                    _vcpus[vcpu.Key] = vcpu.Ref;
                    _epochs.Add(vcpu.Key, node);
                }

                VmStarted();
                break;
            case VmFailed failed:
                _finished[failed.Vm] = new VmResult(failed.Vm, failed.Name,
                    new MachineOutcome(MachineOutcomeKind.Crashed, -1, failed.Reason), "", null, failed.Reason);
                _admission.Release(failed.Vm); // it holds no machine page
                VmStarted();
                break;
            case VmEndedBefore ended:
                _finished[ended.Vm] = new VmResult(ended.Vm, ended.Name, ended.Outcome, "", null, null);
                VmStarted();
                break;
            default:
                InAnyState(message);
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
        _admitting = false;
        Become(Running);
        StartEpochOrFinish();
    }

    private void Running(object message)
    {
        switch (message)
        {
            case EpochDone done:
                if (_epochs.Done(Array.IndexOf(_pcpus, Sender), done.Clock, done.Vcpus, done.Counters))
                {
                    AskStatisticsOfHalted();
                    Progress(_vmsBooted - (_finished.Count - _finished.Values.Count(v => v.FailureReason is not null)));
                    ScanOrAtEpochBoundary();
                }

                break;
            default:
                InAnyState(message);
                break;
        }
    }

    /// <summary>Messages that mean the same whatever the state.</summary>
    private void InAnyState(object message)
    {
        switch (message)
        {
            case VmFinished finished:
                _finished[finished.Vm] = new VmResult(finished.Vm, finished.Name, finished.Outcome, "", null, null);
                _statisticsWanted.Add(finished.Vm);
                AskStatisticsOfHalted();

                if (BetweenEpochsAndIdle)
                {
                    StartEpochOrFinish(); // otherwise the epoch's end decides
                }

                break;
            case VcpuStatistics statistics:
                _statistics[statistics.Vcpu] = statistics;
                TryComplete();
                break;
            case RunCoordinatorProtocol.WhereIs where:
                Sender.Tell(new RunCoordinatorProtocol.PlacedOn(where.Shard, NodeOfShard(where.Shard)));
                break;
            case RunCoordinatorProtocol.WhichMisplaced which:
                Sender.Tell(new RunCoordinatorProtocol.MisplacedShards([.. which.Current
                    .Where(kv => NodeOfShard(kv.Key) is { } wanted && wanted != kv.Value)
                    .Select(kv => kv.Key)
                    .OrderBy(shard => shard, StringComparer.Ordinal)]));
                break;
            case RunCoordinatorProtocol.NodeLeaving leaving when _nodeIndex.TryGetValue(leaving.Node, out int node):
                _log.Info("node {Node} is leaving: its VMs move at the next epoch boundary", leaving.Node);
                _leaving.Add(node);
                _drainWaiters[node] = Sender;
                if (BetweenEpochsAndIdle)
                {
                    AtEpochBoundary();
                }

                break;
            case RunCoordinatorProtocol.NodeLeaving leaving:
                Sender.Tell(new RunCoordinatorProtocol.NodeDrained(leaving.Node));
                break;
            case MemoryUsage usage:
            {
                int node = Array.FindIndex(_nodes.ToArray(), n => n.MemoryManager.Equals(Sender));
                _memory[node] = usage;
                if (!_epochs.IsActive(node) && _drainWaiters.Remove(node, out var waiter))
                {
                    _log.Info("node {Node} has no VM left and may go", _nodes[node].Name);
                    waiter.Tell(new RunCoordinatorProtocol.NodeDrained(_nodes[node].Name));
                }

                TryComplete();
                break;
            }
            default:
                Unhandled(message);
                break;
        }
    }

    private string? NodeOfShard(string shard) =>
        int.TryParse(shard, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int vm) && _vmNode.TryGetValue(vm, out int node)
            ? _nodeAddress[node]
            : null;

    /// <summary>
    /// Between epochs no vCPU runs: each node's memory manager samples its page counts, and
    /// (with <c>monitor.page-sharing.content</c>) scans its VMs for identical pages, whose merges
    /// every affected vCPU must take in before anything else happens at the boundary.
    /// </summary>
    private void ScanOrAtEpochBoundary()
    {
        var active = Enumerable.Range(0, _nodes.Length).Where(n => _epochs.IsActive(n)).ToList();
        foreach (int n in active)
        {
            _nodes[n].MemoryManager.Tell(new MemoryManagerProtocol.EpochEnded(_epochs.Epochs));
        }

        if (!_settings.Sharing.Content || _epochs.AllHalted)
        {
            AtEpochBoundary();
            return;
        }

        var running = _epochs.Slots.Values.Where(s => s.State != VcpuRunState.Halted).Select(s => s.Key.Vm).Distinct().ToList();
        foreach (int n in active)
        {
            var vms = running.Where(vm => _vmNode.GetValueOrDefault(vm, -1) == n).Order().ToImmutableArray();
            if (vms.Length > 0)
            {
                _nodes[n].MemoryManager.Tell(new MemoryManagerProtocol.ScanForSharing(_settings.Sharing.ScanRate, vms));
                _scansPending++;
            }
        }

        if (_scansPending == 0)
        {
            AtEpochBoundary();
            return;
        }

        Become(Sharing);
    }

    private void Sharing(object message)
    {
        switch (message)
        {
            case MemoryManagerProtocol.SharingScanned scanned:
                _scansPending--;
                foreach (var remap in scanned.Remaps)
                {
                    foreach (var (_, vcpu) in _vcpus.Where(v => v.Key.Vm == remap.Vm))
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
                // Recorded; the boundary that follows decides what happens next.
                _finished[finished.Vm] = new VmResult(finished.Vm, finished.Name, finished.Outcome, "", null, null);
                _statisticsWanted.Add(finished.Vm);
                AskStatisticsOfHalted();

                break;
            default:
                InAnyState(message);
                break;
        }
    }

    private void ResumeAfterSharing()
    {
        if (_scansPending == 0 && _remapsPending == 0)
        {
            Become(Running);
            AtEpochBoundary();
        }
    }

    /// <summary>Between two epochs: nodes that are leaving are emptied, then the balance policy may move a VM; the next epoch starts once every move is done.</summary>
    private void AtEpochBoundary()
    {
        if (_settings.Checkpoint.Taking && _region is null && !_epochs.AllHalted && _epochs.EpochEnd >= _nextCheckpointAt)
        {
            TakeCheckpoints();
            return;
        }

        if (_region is not null && !_epochs.AllHalted)
        {
            var moves = ChooseMoves();
            if (moves.Count > 0)
            {
                foreach (var move in moves)
                {
                    BeginMove(move);
                }

                Become(Moving);
                Timers.StartSingleTimer("moves", MovesTimedOut.Instance, MoveTimeout);
                return;
            }
        }

        ReleaseDrainedNodes();
        StartEpochOrFinish();
    }

    private List<Migration> ChooseMoves()
    {
        var accepting = Enumerable.Range(0, _nodes.Length).Select(n => _epochs.IsActive(n) && !_leaving.Contains(n)).ToList();
        var vms = _vmNode
            .Select(kv => new VmLoad(kv.Key, kv.Value,
                _epochs.Slots.Values.Where(s => s.Key.Vm == kv.Key).Sum(s => s.BusyCyclesLastEpoch),
                !_finished.ContainsKey(kv.Key) && _epochs.Slots.Values.Any(s => s.Key.Vm == kv.Key && s.State != VcpuRunState.Halted),
                _movedAt.GetValueOrDefault(kv.Key, long.MinValue / 2)))
            .OrderBy(v => v.Vm)
            .ToList();
        var moves = new List<Migration>();
        foreach (int node in _leaving.Where(n => _epochs.IsActive(n)).Order())
        {
            moves.AddRange(MigrationPolicy.Drain(node, accepting, vms));
        }

        var migration = _settings.Cluster.Migration;
        if (moves.Count == 0 && migration.Balance && _nodes.Length > 1 && _balancedAt != _epochs.Epochs)
        {
            // Once per boundary: the busy figures are the last epoch's, whatever moved since.
            _balancedAt = _epochs.Epochs;
            var busy = Enumerable.Range(0, _nodes.Length).Select(n => _epochs.NodeBusyLastEpoch(n)).ToList();
            var pcpus = _nodes.Select(n => n.PhysicalCpus.Length).ToList();
            // A VM moves only to a node that can hold its memory beside what it hosts.
            moves.AddRange(MigrationPolicy.Balance(busy, pcpus, accepting, vms, _epochs.EpochLength, migration.Threshold,
                    migration.MaxPerEpoch, _epochs.Epochs, migration.SettleEpochs)
                .Where(m => _admission.Fits(m.To, PagesOf(_vmSettings[m.Vm]))));
        }

        return moves;
    }

    /// <summary>
    /// The VM is told where it goes, then its placement changes: Sharding's next rebalance finds
    /// its shard misplaced and hands it off, the VM ships itself to the target node, and Sharding
    /// starts it there, where it says <see cref="VmMovedIn"/>.
    /// </summary>
    private void BeginMove(Migration move)
    {
        var target = _nodes[move.To];
        _moving[move.Vm] = (move, Stopwatch.StartNew());
        _log.Info("epoch {Epoch}: VM {Vm} moves from {From} to {To}", _epochs.Epochs, move.Vm, _nodes[move.From].Name, target.Name);
        _region!.Tell(new GuestVmProtocol.PrepareMigration(move.Vm, target.Name, target.Agent ?? ActorRefs.Nobody, target.MemoryManager));
    }

    /// <summary>
    /// Every running VM is captured at this boundary, where nothing runs: the next epoch starts
    /// once each has its copy (storing it goes on meanwhile).
    /// </summary>
    private void TakeCheckpoints()
    {
        _nextCheckpointAt = _epochs.EpochEnd + _settings.Checkpoint.Every;
        foreach (var (vm, actor) in _vmRefs)
        {
            if (!_finished.ContainsKey(vm))
            {
                _checkpointsPending++;
                actor.Tell(new CheckpointProtocol.TakeCheckpoint(vm, _epochs.Epochs, _epochs.EpochEnd));
            }
        }

        if (_checkpointsPending == 0)
        {
            AtEpochBoundary();
            return;
        }

        Become(Checkpointing);
    }

    private void Checkpointing(object message)
    {
        switch (message)
        {
            case CheckpointProtocol.CheckpointTaken:
                if (--_checkpointsPending == 0)
                {
                    Become(Running);
                    AtEpochBoundary();
                }

                break;
            default:
                InAnyState(message);
                break;
        }
    }

    private void Moving(object message)
    {
        switch (message)
        {
            case GuestVmProtocol.MigrationPrepared prepared when _moving.TryGetValue(prepared.Vm, out var m):
                _vmNode[prepared.Vm] = m.Move.To; // from now on the allocation strategy sees the shard as misplaced
                _log.Debug("VM {Vm} is ready to move to {To}", prepared.Vm, _nodes[m.Move.To].Name);
                break;
            case VmMovedIn moved when _moving.Remove(moved.Vm, out var m):
            {
                _vmRefs[moved.Vm] = Sender;
                foreach (var vcpu in moved.Vcpus)
                {
                    _vcpus[vcpu.Key] = vcpu.Ref;
                    _epochs.Move(vcpu.Key, m.Move.To);
                }

                _admission.Move(moved.Vm, m.Move.To);

                _movedAt[moved.Vm] = _epochs.Epochs;
                _log.Info("VM {Vm} ({Name}) runs on {Node} now: {Pages} pages moved in {Milliseconds} ms", moved.Vm, moved.Name, moved.Node, moved.Pages, (long)m.Clock.Elapsed.TotalMilliseconds);
                _placements[moved.Vm].Add(new VmPlacement(_epochs.Epochs + 1, _epochs.EpochEnd, moved.Node));
                _migrations.Add(new MigrationRecord(moved.Vm, moved.Name, _nodes[m.Move.From].Name, moved.Node, _epochs.Epochs, _epochs.EpochEnd,
                    moved.Pages, moved.Bytes, m.Clock.Elapsed.TotalMilliseconds));
                MovesDone();
                break;
            }

            case MigrationFailed failed when _moving.Remove(failed.Vm, out _):
                MovesDone(); // the VM reports itself crashed; the run goes on
                break;
            case MovesTimedOut:
                foreach (var (vm, (move, _)) in _moving)
                {
                    _finished[vm] = new VmResult(vm, $"vm{vm}", new MachineOutcome(MachineOutcomeKind.Crashed, -1,
                        $"its move from {_nodes[move.From].Name} to {_nodes[move.To].Name} did not complete within {MoveTimeout.TotalSeconds:F0} s"), "", null, null);
                    foreach (var key in _epochs.Slots.Keys.Where(k => k.Vm == vm).ToList())
                    {
                        _epochs.Halt(key);
                    }
                }

                _moving.Clear();
                MovesDone();
                break;
            default:
                InAnyState(message);
                break;
        }
    }

    private void MovesDone()
    {
        if (_moving.Count > 0)
        {
            return;
        }

        Timers.Cancel("moves");
        Become(Running);
        AtEpochBoundary(); // a leaving node may need more moves; else the next epoch
    }

    /// <summary>A leaving node with no running VM left is released: its CPUs take no more part, and its agent may let it go.</summary>
    private void ReleaseDrainedNodes()
    {
        foreach (int node in _leaving.ToList())
        {
            bool empty = !_vmNode.Any(kv => kv.Value == node && !_finished.ContainsKey(kv.Key));
            if (empty)
            {
                _epochs.Retire(node);
                _leaving.Remove(node);
                // Its memory figures now, while it is there; the node may go once they are in.
                _nodes[node].MemoryManager.Tell(new MemoryManagerProtocol.GetUsage());
            }
        }
    }

    private bool _finishing;

    private void StartEpochOrFinish()
    {
        if (_admission.Waiting > 0 && AdmitAtBoundary())
        {
            return;
        }

        if (_epochs.AllHalted)
        {
            if (_finished.Count == _settings.Vms.Count)
            {
                Finish();
            }

            return; // a VM's last messages are still on their way
        }

        var perCpu = _epochs.Start();
        foreach (int p in _epochs.ActivePcpus())
        {
            var assigned = perCpu[p].Select(s => new VcpuAssignment(s, _vcpus[s.Key])).ToImmutableArray();
            _pcpus[p].Tell(new RunEpoch(_epochs.EpochEnd, _settings.Scheduler.Quantum, assigned));
        }
    }

    /// <summary>
    /// VMs wait for machine memory: the VMs that halted give their reservations back (their
    /// memory manager confirms the pages are free before anything else is placed there), then
    /// the waiting VMs that fit boot, in VM-id order, and join the next epoch. True while that
    /// is under way.
    /// </summary>
    private bool AdmitAtBoundary()
    {
        var live = _epochs.Slots.Values.Where(s => s.State != VcpuRunState.Halted).Select(s => s.Key.Vm).ToHashSet();
        var booted = _epochs.Slots.Keys.Select(k => k.Vm).ToHashSet();
        foreach (int vm in _admission.Admitted.Where(vm => booted.Contains(vm) && !live.Contains(vm)).ToList())
        {
            _admission.Release(vm);
            _releasing.Add(vm);
            _nodes[_vmNode[vm]].MemoryManager.Tell(new MemoryManagerProtocol.ReleaseVm(vm));
        }

        if (_releasing.Count > 0)
        {
            _admitting = true;
            Become(Releasing);
            return true;
        }

        var admitted = _admission.AdmitWaiting();
        if (admitted.Count == 0)
        {
            if (_epochs.AllHalted && _moving.Count == 0)
            {
                // Nothing runs and nothing fits: only a VM whose node has left can be in this state.
                foreach (int vm in _admission.AbandonWaiting())
                {
                    var settings = _vmSettings[vm];
                    string reason = $"{settings.Name} waited for machine memory on {_nodes[_vmNode[vm]].Name}, which no longer takes VMs";
                    _finished[vm] = new VmResult(vm, settings.Name, new MachineOutcome(MachineOutcomeKind.Crashed, -1, reason), "", null, reason);
                }
            }

            return false;
        }

        _log.Info("epoch {Epoch}: {Admitted} VMs admitted, {Waiting} still wait for machine memory", _epochs.Epochs, admitted.Count, _admission.Waiting);
        _admitting = true;
        Become(Starting);
        foreach (var (vm, _) in admitted)
        {
            _admittedAt[vm] = _epochs.EpochEnd;
            _vmsStarting++;
            StartVm(_vmSettings[vm]);
        }

        return true;
    }

    private void Releasing(object message)
    {
        switch (message)
        {
            case MemoryManagerProtocol.VmReleased released when _releasing.Remove(released.Vm):
                if (_releasing.Count == 0)
                {
                    Run();
                }

                break;
            default:
                InAnyState(message);
                break;
        }
    }

    /// <summary>
    /// The counters of the VMs that finished, once their vCPUs have yielded halted, while the
    /// vCPUs are sure to be there (a node may leave later). Not before: the root can hear of a
    /// power-off before the vCPU has retired the store that did it.
    /// </summary>
    private void AskStatisticsOfHalted()
    {
        if (_epochs.InFlight)
        {
            return;
        }

        foreach (int vm in _statisticsWanted.Where(vm => _epochs.Slots.Values.All(s => s.Key.Vm != vm || s.State == VcpuRunState.Halted)).ToList())
        {
            _statisticsWanted.Remove(vm);
            foreach (var (_, vcpu) in _vcpus.Where(kv => kv.Key.Vm == vm))
            {
                vcpu.Tell(new VirtualCpuProtocol.GetStatistics());
            }
        }
    }

    private void Finish()
    {
        _finishing = true;
        AskStatisticsOfHalted();
        Become(Finishing);
        Progress(0);
        ReleaseDrainedNodes();
        // A node that left already gave its figures when it went.
        for (int n = 0; n < _nodes.Length; n++)
        {
            if (_epochs.IsActive(n))
            {
                _nodes[n].MemoryManager.Tell(new MemoryManagerProtocol.GetUsage());
            }
        }

        TryComplete();
    }

    /// <summary>
    /// No epoch is running and nothing between two epochs is under way (a sharing scan or its
    /// remaps, checkpoints, moves, admissions, the end): a message that may start the next epoch
    /// may do so now; otherwise whatever is under way starts it when done.
    /// </summary>
    private bool BetweenEpochsAndIdle =>
        !_epochs.InFlight && _moving.Count == 0 && _checkpointsPending == 0 && _scansPending == 0 && _remapsPending == 0 && !_finishing && !_admitting;

    private void Finishing(object message) => InAnyState(message);

    private void Progress(int running) =>
        _observer?.Progress(new RunProgress(_epochs.Epochs, _epochs.EpochEnd, _settings.Vms.Count, _vmsBooted, running, _finished.Count,
            _epochs.LastEpoch.Sum(d => d.Counters.GuestInstructions), _clock.Elapsed, _epochs.LastEpoch, _admission.Waiting));

    private void TryComplete()
    {
        if (!_finishing || _memory.Count < _nodes.Length || _statistics.Count < _vcpus.Count)
        {
            return;
        }

        var vms = _settings.Vms.Select(vm =>
        {
            var result = _finished[vm.Id];
            var stats = _statistics.Values.FirstOrDefault(s => s.Vcpu.Vm == vm.Id);
            long finishedAt = _epochs.Slots.Values.Where(s => s.Key.Vm == vm.Id).Select(s => s.HaltedAt).DefaultIfEmpty(0).Max();
            return result with { Statistics = stats, FinishedAt = finishedAt, Placements = _placements.GetValueOrDefault(vm.Id), AdmittedAt = _admittedAt.GetValueOrDefault(vm.Id) };
        }).ToList();
        var nodes = _nodes.Select((n, i) =>
        {
            var (first, count) = _epochs.PcpusOf(i);
            return new NodeResult(n.Name, Enumerable.Range(first, count).ToList(),
                _placements.Where(kv => kv.Value.Any(p => p.Node == n.Name)).Select(kv => kv.Key).Order().ToList(),
                _migrations.Count(m => m.To == n.Name), _migrations.Count(m => m.From == n.Name),
                _migrations.Where(m => m.To == n.Name).Sum(m => (long)m.Pages), _migrations.Where(m => m.From == n.Name).Sum(m => (long)m.Pages),
                _memory[i]);
        }).ToList();
        var total = new MemoryUsage(
            (uint)_memory.Values.Sum(u => u.TotalPages),
            (uint)_memory.Values.Sum(u => u.AllocatedPages),
            _memory.Values.SelectMany(u => u.PagesByVm).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => (uint)g.Sum(kv => kv.Value)),
            (uint)_memory.Values.Sum(u => u.PeakAllocatedPages))
        {
            // Sharing is within a node (each has its own machine memory): the nodes' figures add up.
            Vms = _memory.Values.SelectMany(u => u.Vms).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            PeakGuestPages = (uint)_memory.Values.Sum(u => u.PeakGuestPages),
            PeakAllocatedBetweenEpochs = (uint)_memory.Values.Sum(u => u.PeakAllocatedBetweenEpochs),
            SharedPages = (uint)_memory.Values.Sum(u => u.SharedPages),
            PeakSharedPages = (uint)_memory.Values.Sum(u => u.PeakSharedPages),
            Sharing = _memory[0].Sharing,
            PagesScanned = _memory.Values.Sum(u => u.PagesScanned),
            PagesMerged = _memory.Values.Sum(u => u.PagesMerged),
        };
        _complete(new MonitorResult(_settings, vms, _epochs.LastEpoch, total, _epochs.Epochs, _clock.Elapsed, nodes, _migrations.ToList()));
        // A run's root lives as long as its run: in a cluster, its coordinator is free for the next one.
        Context.Stop(Self);
    }

    private sealed class MovesTimedOut
    {
        public static readonly MovesTimedOut Instance = new();
    }
}
