using System.Collections.Immutable;
using System.Globalization;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;
using static ActorVmm.Actors.GuestVmProtocol;
using static ActorVmm.Actors.MonitorRootProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// One VM: its lifecycle, its console stream and its children, the TrapRouter and the
/// VirtualCpu. States: waiting to be told which VM it is (<see cref="StartVm"/>, or, for a VM
/// that moved here, its migration package), loading (its kernel is placed in the node's
/// machine memory), running (console bytes pass through to the ConsoleSink; the guest powers
/// off or crashes), moving (its vCPU, router and pages go to another node), finished. A
/// failure inside the VM (a bad kernel, a simulator error in its vCPU) stops this VM only.
/// </summary>
public sealed class GuestVm : UntypedActor
{
    private readonly MonitorNode _node;
    private readonly bool _asEntity;
    private StartVm _start = null!;
    private VmSettings _settings = null!;
    private BootPlan? _plan;
    private long _consoleLength;
    private bool _childFailed;
    private IActorRef _router = ActorRefs.Nobody;
    private IActorRef _vcpu = ActorRefs.Nobody;
    private PrepareMigration? _move;
    private VcpuState? _capturedVcpu;
    private RouterState? _capturedRouter;
    private MemoryManagerProtocol.VmExported? _exported;
    private IActorRef _checkpoints = ActorRefs.Nobody;
    private PendingCheckpoint? _checkpoint;
    private VmState? _restoring;
    private bool _storeFailed;
    private MachineOutcome? _finishedWith;

    /// <param name="asEntity">Started by Cluster.Sharding: on start, look for a migration package for this VM at the node's agent.</param>
    public GuestVm(bool asEntity = false)
    {
        _node = MonitorNode.Get(Context.System);
        _asEntity = asEntity;
    }

    protected override void PreStart()
    {
        if (_asEntity && int.TryParse(Uri.UnescapeDataString(Self.Path.Name), NumberStyles.None, CultureInfo.InvariantCulture, out int vm))
        {
            _node.Agent.Tell(new NodeAgentProtocol.TakePackage(vm));
        }
    }

    /// <summary>
    /// A child that throws has a simulator bug: stop this VM with a diagnostic. All of its
    /// children stop, so a vCPU never waits forever on a dead router (its physical CPU
    /// watches it and counts it as halted).
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new AllForOneStrategy(e =>
    {
        _childFailed = true;
        Self.Tell(new Crashed(_settings.Id, MachineOutcomeKind.Crashed, $"simulator error in {_settings.Name}: {e.GetType().Name}: {e.Message}"));
        return Directive.Stop;
    });

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StartVm start:
                Start(start);
                break;
            case NodeAgentProtocol.MigrationPackage package:
                Arrive(package);
                break;
            case NodeAgentProtocol.NoPackage or HandOffVm:
                if (message is HandOffVm)
                {
                    Context.Stop(Self);
                }

                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Start(StartVm start)
    {
        _start = start;
        _settings = start.Settings;
        _start.Console.Tell(new ConsoleSinkProtocol.ConsoleOpened(_settings.Id, _settings.Name));
        if (start.Checkpoints is { } persistenceId)
        {
            var index = _node.StoredPages;
            int vm = _settings.Id;
            _checkpoints = Context.ActorOf(Props.Create(() => new VmCheckpoints(vm, persistenceId, index)), "checkpoints");
            Context.Watch(_checkpoints); // a store that stops (after a failed write) must not leave the VM waiting on it
            if (start.Restore >= 0)
            {
                _storeFailed = true; // a restore only reads: no checkpoint, no end is stored
                _checkpoints.Tell(new CheckpointProtocol.LoadCheckpoint(vm, start.Restore));
            }
            else
            {
                _checkpoints.Tell(new CheckpointProtocol.OpenCheckpoints(vm, start.Resume ? CheckpointProtocol.OpenMode.Resume : CheckpointProtocol.OpenMode.Fresh));
            }

            Become(Opening);
            return;
        }

        Boot();
    }

    /// <summary>Its checkpoints answer: boot afresh, continue from the last one, or report how it ended before.</summary>
    private void Opening(object message)
    {
        switch (message)
        {
            case CheckpointProtocol.NoCheckpoint when _start.Restore >= 0:
                Fail($"{_settings.Name} has no checkpoint to restore in {_node.CheckpointStore}");
                break;
            case CheckpointProtocol.CheckpointsOpened or CheckpointProtocol.NoCheckpoint:
                Boot();
                break;
            case CheckpointProtocol.CheckpointLoaded loaded:
                Restore(loaded);
                break;
            case CheckpointProtocol.EndedBefore ended:
                _consoleLength = ended.ConsoleLength;
                _start.Console.Tell(new ConsoleSinkProtocol.ConsoleClosed(_settings.Id, ended.ConsoleLength));
                _start.Root.Tell(new VmEndedBefore(_settings.Id, _settings.Name, ended.Outcome));
                Become(Finished);
                break;
            case CheckpointProtocol.LoadFailed failed:
                Fail(failed.Reason);
                break;
            case CheckpointProtocol.CheckpointFailed failed:
                Fail(failed.Reason);
                break;
            default:
                NotRunning(message);
                break;
        }
    }

    /// <summary>A checkpoint read back whole and checked: its pages go into machine memory, then its vCPU and router continue from its state.</summary>
    private void Restore(CheckpointProtocol.CheckpointLoaded loaded)
    {
        try
        {
            _restoring = VmStateCodec.Decode(loaded.State.AsSpan());
        }
        catch (StateFormatException e)
        {
            Fail($"checkpoint {loaded.Number} cannot be restored: {e.Message}");
            return;
        }

        _node.MemoryManager.Tell(new MemoryManagerProtocol.ImportPages(_settings.Id, _settings.MemoryBytes, 0, loaded.Pages));
        Become(Restoring);
    }

    private void Restoring(object message)
    {
        switch (message)
        {
            case MemoryManagerProtocol.PagesImported:
                _consoleLength = _restoring!.Router.ConsoleOffset;
                StartChildren(_restoring, 0);
                _restoring = null;
                _start.Root.Tell(new VmReady(_settings.Id, _settings.Name, _node.Name, [new VcpuHandle(new VcpuKey(_settings.Id, 0), _vcpu)]));
                Become(Running);
                break;
            case MemoryManagerProtocol.ImportRefused refused:
                Fail($"its checkpoint cannot be restored here: {refused.Reason}");
                break;
            default:
                NotRunning(message);
                break;
        }
    }

    private void Boot()
    {
        try
        {
            _plan = _node.BootImages.Plan(_settings.KernelPath, new BootConfiguration(_settings.MemoryBytes, _settings.CommandLine, 1, _start.TlbEntries));
        }
        catch (Exception e)
        {
            // Whatever the kernel file holds, the VM fails alone and says why; the run goes on.
            Fail($"kernel {_settings.KernelPath}: {e.Message}");
            return;
        }

        _node.MemoryManager.Tell(new MemoryManagerProtocol.RegisterVm(_settings.Id, _settings.MemoryBytes, _plan));
        Become(Loading);
    }

    private void Loading(object message)
    {
        switch (message)
        {
            case MemoryManagerProtocol.VmRegistered:
                StartChildren(null, 0);
                _node.Trace.Record(_settings.Id, 0, 0, 0, _plan!.Entry, new VmStartedEvent(_plan.Entry));
                _start.Root.Tell(new VmReady(_settings.Id, _settings.Name, _node.Name, [new VcpuHandle(new VcpuKey(_settings.Id, 0), _vcpu)]));
                Become(Running);
                break;
            case MemoryManagerProtocol.VmRefused r:
                Fail(r.Reason);
                break;
            default:
                NotRunning(message);
                break;
        }
    }

    /// <summary>A VM that moved here: its pages are already in this node's machine memory; its vCPU and router continue from their state.</summary>
    private void Arrive(NodeAgentProtocol.MigrationPackage package)
    {
        _start = package.Start;
        _settings = package.Start.Settings;
        VmState state;
        try
        {
            state = VmStateCodec.Decode(package.State.AsSpan());
        }
        catch (StateFormatException e)
        {
            Fail($"its state did not survive the move from {package.FromNode}: {e.Message}");
            return;
        }

        _consoleLength = state.Router.ConsoleOffset;
        if (state.Vcpu.SpecialArea is { } area)
        {
            // A paravirtual guest's special page and console buffer: pinned here before its vCPU
            // starts, which keeps them coherent from what the guest last stored (docs/HYPERCALLS.md).
            _node.MemoryManager.Tell(new MemoryManagerProtocol.TranslatePages(_settings.Id, [area, new Ppn(area.Value + 1)], 0) { Operation = PageOperation.Pin });
            Become(message => Pinning(message, state, package));
            return;
        }

        MovedIn(state, package, default);
    }

    private void Pinning(object message, VmState state, NodeAgentProtocol.MigrationPackage package)
    {
        switch (message)
        {
            case MemoryManagerProtocol.PagesTranslated pinned when pinned.Mappings.All(m => m.IsMemory):
                MovedIn(state, package, pinned.Mappings);
                break;
            case MemoryManagerProtocol.PagesTranslated pinned:
                Fail($"its special page could not be pinned on {_node.Name}: {pinned.Mappings.First(m => !m.IsMemory).Kind}");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void MovedIn(VmState state, NodeAgentProtocol.MigrationPackage package, ImmutableArray<GuestPageMapping> specialPages)
    {
        StartChildren(state, package.Pages, specialPages);
        _start.Root.Tell(new VmMovedIn(_settings.Id, _settings.Name, _node.Name, [new VcpuHandle(new VcpuKey(_settings.Id, 0), _vcpu)], package.Pages, package.Bytes));
        Become(Running);
    }

    private void StartChildren(VmState? restore, int migratedPages, ImmutableArray<GuestPageMapping> specialPages = default)
    {
        var key = new VcpuKey(_settings.Id, 0);
        var memoryManager = _node.MemoryManager;
        var settings = _settings;
        var costs = _start.Costs;
        int tlb = _start.TlbEntries;
        var plan = _plan;
        var routerState = restore?.Router;
        var vcpuState = restore?.Vcpu;
        var router = Context.ActorOf(_node.OnVmDispatcher(Props.Create(() => new TrapRouter(settings.Id, settings.MemoryBytes, memoryManager, Self, routerState, costs)), settings.Id), "router");
        _router = router;
        _vcpu = Context.ActorOf(_node.OnVmDispatcher(Props.Create(() => new VirtualCpu(key, settings.MemoryBytes, settings.MaxInstructions, plan, vcpuState, migratedPages, costs, tlb, settings.L2Tlb, router, memoryManager, Self, specialPages)), settings.Id), "vcpu0");
    }

    private void Running(object message)
    {
        switch (message)
        {
            case ConsoleOutput output:
                OnConsole(output);
                break;
            case PoweredOff p:
                Finish(MachineOutcome.PowerOff(p.Status));
                break;
            case Crashed c:
                Finish(new MachineOutcome(c.Kind, -1, c.Diagnostic));
                break;
            case PrepareMigration move:
                _move = move;
                Sender.Tell(new MigrationPrepared(_settings.Id));
                break;
            case HandOffVm when _move is not null:
                // Between epochs (the root prepared the move there): nothing runs, the state is whole.
                Become(Moving);
                _vcpu.Tell(new VirtualCpuProtocol.CaptureVcpu());
                _router.Tell(new TrapRouterProtocol.CaptureRouter());
                break;
            case HandOffVm:
                Context.Stop(Self);
                break;
            case CheckpointProtocol.TakeCheckpoint take:
                TakeCheckpoint(take);
                break;
            case VirtualCpuProtocol.VcpuCheckpointed captured when _checkpoint is not null:
                _checkpoint.Vcpu = captured;
                CopyPagesWhenCaptured();
                break;
            case TrapRouterProtocol.RouterCaptured captured when _checkpoint is not null:
                _checkpoint.Router = captured.State;
                CopyPagesWhenCaptured();
                break;
            case VirtualCpuProtocol.CaptureRefused when _checkpoint is not null:
                // Not between dispatches after all: no checkpoint this time, the VM goes on.
                _start.Root.Tell(new CheckpointProtocol.CheckpointTaken(_settings.Id, false));
                _checkpoint = null;
                break;
            case MemoryManagerProtocol.PagesCopied copied when _checkpoint is not null:
                _checkpoint.Pages = copied.Pages;
                _start.Root.Tell(new CheckpointProtocol.CheckpointTaken(_settings.Id, true));
                _start.Console.Tell(new ConsoleSinkProtocol.SyncConsole(_settings.Id, _checkpoint.Router!.ConsoleOffset));
                break;
            case ConsoleSinkProtocol.ConsoleSynced when _checkpoint is not null:
                _checkpoints.Tell(_checkpoint.ToSave(_settings.Id));
                _checkpoint = null;
                break;
            case CheckpointProtocol.CheckpointSaved saved:
                _node.Observer?.CheckpointSaved(_settings.Name, saved);
                break;
            case CheckpointProtocol.CheckpointFailed failed:
                StoreFailed(failed.Reason);
                break;
            case CheckpointProtocol.LoadFailed failed:
                StoreFailed(failed.Reason);
                break;
            case Terminated t when t.ActorRef.Equals(_checkpoints):
                StoreFailed($"its checkpoint store ({_node.CheckpointStore}) stopped");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Between epochs (the root asks at a boundary): the vCPU and router give their state, then the memory manager a copy of the pages to store.</summary>
    private void TakeCheckpoint(CheckpointProtocol.TakeCheckpoint take)
    {
        if (_checkpoint is not null || _checkpoints.IsNobody() || _start.Restore >= 0)
        {
            _start.Root.Tell(new CheckpointProtocol.CheckpointTaken(_settings.Id, false));
            return;
        }

        _checkpoint = new PendingCheckpoint(take);
        _vcpu.Tell(new VirtualCpuProtocol.CheckpointVcpu());
        _router.Tell(new TrapRouterProtocol.CaptureRouter());
    }

    private void CopyPagesWhenCaptured()
    {
        if (_checkpoint is { Vcpu: { } vcpu, Router: not null })
        {
            _node.MemoryManager.Tell(new MemoryManagerProtocol.CopyPages(_settings.Id, vcpu.Full, vcpu.Dirty));
        }
    }

    /// <summary>Its checkpoints cannot be stored: the VM stops, saying why (a resumed run starts it from its last stored checkpoint); the others go on.</summary>
    private void StoreFailed(string reason)
    {
        _storeFailed = true;
        _vcpu.Tell(new VirtualCpuProtocol.HaltVcpu());
        Finish(new MachineOutcome(MachineOutcomeKind.Crashed, -1, $"{_settings.Name} stopped: {reason}"));
    }

    /// <summary>Messages of a checkpoint asked for while the VM is not running: nothing is captured, the root is not kept waiting.</summary>
    private void NotRunning(object message)
    {
        switch (message)
        {
            case CheckpointProtocol.TakeCheckpoint:
                Sender.Tell(new CheckpointProtocol.CheckpointTaken(_settings.Id, false));
                break;
            case CheckpointProtocol.CheckpointSaved or CheckpointProtocol.CheckpointFailed or CheckpointProtocol.LoadFailed
                or ConsoleSinkProtocol.ConsoleSynced or MemoryManagerProtocol.PagesCopied or VirtualCpuProtocol.VcpuCheckpointed:
                break;
            case Terminated t when t.ActorRef.Equals(_checkpoints):
                Fail($"its checkpoint store ({_node.CheckpointStore}) stopped");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Moving(object message)
    {
        switch (message)
        {
            case VirtualCpuProtocol.VcpuCaptured captured:
                _capturedVcpu = captured.State;
                ExportWhenCaptured();
                break;
            case TrapRouterProtocol.RouterCaptured captured:
                _capturedRouter = captured.State;
                ExportWhenCaptured();
                break;
            case VirtualCpuProtocol.CaptureRefused refused:
                MoveFailed($"its vCPU could not be captured: {refused.Reason}");
                break;
            case MemoryManagerProtocol.VmExported exported:
            {
                _exported = exported;
                var state = new VmState(_settings.Id, _capturedVcpu!, _capturedRouter!);
                _move!.TargetAgent.Tell(new NodeAgentProtocol.MigrationPackage(_settings.Id, _node.Name, _start,
                    [.. VmStateCodec.Encode(state)], exported.Pages, exported.Bytes));
                break;
            }

            case MemoryManagerProtocol.ExportFailed failed:
                MoveFailed(failed.Reason);
                break;
            case NodeAgentProtocol.PackageStored:
                // The VM lives on on the target node; its children stop with it here.
                Context.Stop(Self);
                break;
            case ConsoleOutput output:
                OnConsole(output);
                break;
            case HandOffVm:
                break; // already moving
            default:
                NotRunning(message);
                break;
        }
    }

    private void ExportWhenCaptured()
    {
        if (_capturedVcpu is not null && _capturedRouter is not null)
        {
            _node.MemoryManager.Tell(new MemoryManagerProtocol.ExportVm(_settings.Id, _move!.TargetMemory));
        }
    }

    private void MoveFailed(string reason)
    {
        _start.Root.Tell(new MigrationFailed(_settings.Id, $"{_settings.Name} could not move to {_move?.TargetNode}: {reason}"));
        Finish(new MachineOutcome(MachineOutcomeKind.Crashed, -1, $"the move to {_move?.TargetNode} failed: {reason}"));
        Context.Stop(Self);
    }

    /// <summary>The VM has stopped: what still arrives (the memory manager's receipt, a late crash report) changes nothing; a hand-off stops it.</summary>
    private void Finished(object message)
    {
        switch (message)
        {
            case HandOffVm:
                Context.Stop(Self);
                break;
            case CheckpointProtocol.TakeCheckpoint:
                Sender.Tell(new CheckpointProtocol.CheckpointTaken(_settings.Id, false));
                break;
            case CheckpointProtocol.CheckpointSaved saved:
                _node.Observer?.CheckpointSaved(_settings.Name, saved); // stored after the VM stopped: still a checkpoint of it
                break;
            case CheckpointProtocol.EndRecorded or CheckpointProtocol.CheckpointFailed when _finishedWith is not null:
            case Terminated t when t.ActorRef.Equals(_checkpoints) && _finishedWith is not null:
                // Its end is stored (or cannot be): only now is the run told, so it does not end before its store has it.
                _start.Root.Tell(new VmFinished(_settings.Id, _settings.Name, _finishedWith));
                _finishedWith = null;
                break;
        }
    }

    private void OnConsole(ConsoleOutput output)
    {
        // The router's stream, passed on in order; the sink takes each byte once by offset.
        long end = output.Offset + output.Bytes.Length;
        if (end <= _consoleLength)
        {
            return;
        }

        _consoleLength = end;
        _start.Console.Tell(new ConsoleSinkProtocol.ConsoleOutput(_settings.Id, _node.Name, output.Offset, output.Bytes));
    }

    private void Fail(string reason)
    {
        _storeFailed = true;
        _start.Console.Tell(new ConsoleSinkProtocol.ConsoleClosed(_settings.Id, 0));
        _start.Root.Tell(new VmFailed(_settings.Id, _settings.Name, reason));
        Become(Finished);
    }

    private void Finish(MachineOutcome outcome)
    {
        Become(Finished);
        if (_checkpoint is not null)
        {
            _start.Root.Tell(new CheckpointProtocol.CheckpointTaken(_settings.Id, false));
            _checkpoint = null;
        }

        bool recordEnd = !_storeFailed && !_checkpoints.IsNobody();
        if (recordEnd)
        {
            // After the checkpoints asked before (same mailbox): a resumed run reports it, not reruns it.
            _checkpoints.Tell(new CheckpointProtocol.RecordEnd(_settings.Id, outcome, _consoleLength));
            _finishedWith = outcome;
        }

        _start.Console.Tell(new ConsoleSinkProtocol.ConsoleClosed(_settings.Id, _consoleLength));
        if (outcome.Kind == MachineOutcomeKind.PoweredOff)
        {
            _node.Trace.Record(_settings.Id, 0, 0, TraceRecord.NoCycle, 0, new VmPoweredOffEvent(outcome.ExitStatus));
        }
        else
        {
            _node.Trace.Record(_settings.Id, 0, 0, TraceRecord.NoCycle, 0, default(VmCrashedEvent));
        }

        if (!_childFailed)
        {
            // Its vCPU has stopped running guest code: the machine pages can serve other VMs.
            // After a simulator error the vCPU may still be finishing a message, so they stay.
            _node.MemoryManager.Tell(new MemoryManagerProtocol.ReleaseVm(_settings.Id));
        }

        if (!recordEnd)
        {
            _start.Root.Tell(new VmFinished(_settings.Id, _settings.Name, outcome));
        }
    }

    /// <summary>A checkpoint being captured: the vCPU's and router's states and the pages' copies, as they arrive.</summary>
    private sealed class PendingCheckpoint(CheckpointProtocol.TakeCheckpoint take)
    {
        public VirtualCpuProtocol.VcpuCheckpointed? Vcpu { get; set; }

        public RouterState? Router { get; set; }

        public System.Collections.Immutable.ImmutableArray<Memory.GuestPageImage> Pages { get; set; }

        public CheckpointProtocol.SaveCheckpoint ToSave(int vm) =>
            new(vm, take.Epoch, take.Cycle, Vcpu!.State.Core.Retired, [.. VmStateCodec.Encode(new VmState(vm, Vcpu.State, Router!))], Pages, Vcpu.Full);
    }
}
