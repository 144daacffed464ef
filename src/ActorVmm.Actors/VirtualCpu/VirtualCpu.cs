using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using Akka.Actor;
using static ActorVmm.Actors.VirtualCpuProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// One guest CPU: a mailbox for <see cref="VcpuLoop"/>. When a physical CPU dispatches it, the
/// loop runs the guest until the monitor must act; each step becomes a message: a
/// <see cref="TrapRouterProtocol.Trap"/> to the router, a page translation to the memory
/// manager, <see cref="Yielded"/> to the physical CPU, <see cref="GuestVmProtocol.Crashed"/>
/// to its VM. States: ready for a dispatch, waiting for the router or the memory manager,
/// halted.
/// </summary>
public sealed class VirtualCpu : UntypedActor
{
    private readonly VcpuLoop _loop;
    private readonly IActorRef _router;
    private readonly IActorRef _memoryManager;
    private readonly IActorRef _guestVm;
    private readonly IActorRef _self;
    // The states as cached delegates, and the context they are set on: a Become per trap
    // allocates nothing (UntypedActor.Become wraps its argument in a new closure each time).
    private readonly IActorContext _context;
    private readonly Receive _ready;
    private readonly Receive _awaitingRouter;
    private readonly Receive _awaitingMemory;
    private readonly Receive _halted;
    private readonly Receive _moved;
    private IActorRef _pcpu = ActorRefs.Nobody;
    private long _nextCorrelation;
    private bool _haltRequested;

    /// <param name="plan">How to boot the guest; or null when <paramref name="restore"/> gives the state it continues from (a VM that moved here).</param>
    /// <param name="migratedPages">For a restored vCPU: the pages that moved with it, charged (<see cref="Mechanism.Migration"/>) when it next runs.</param>
    public VirtualCpu(VcpuKey key, uint memoryBytes, long maxInstructions, BootPlan? plan, VcpuState? restore, int migratedPages, CostModel costs, int tlbEntries,
        IActorRef router, IActorRef memoryManager, IActorRef guestVm)
        : this(key, memoryBytes, maxInstructions, plan, restore, migratedPages, costs, tlbEntries, L2TlbSettings.Exact, router, memoryManager, guestVm)
    {
    }

    /// <param name="specialPages">For a restored paravirtual vCPU: its special page and console buffer, pinned on this node.</param>
    public VirtualCpu(VcpuKey key, uint memoryBytes, long maxInstructions, BootPlan? plan, VcpuState? restore, int migratedPages, CostModel costs, int tlbEntries,
        L2TlbSettings l2, IActorRef router, IActorRef memoryManager, IActorRef guestVm, ImmutableArray<GuestPageMapping> specialPages = default)
    {
        _router = router;
        _memoryManager = memoryManager;
        _guestVm = guestVm;
        _self = Self; // an explicit sender spares a thread-static lookup per trap
        var node = MonitorNode.Get(Context.System);
        var cpu = new VirtualizedCpu(node.MachineMemory, memoryBytes, costs, tlbEntries, (uint)key.Vcpu, l2.Mode, l2.Entries);
        _loop = new VcpuLoop(key, cpu, maxInstructions, node.Trace);
        if (restore is not null)
        {
            _loop.Restore(restore);
            _loop.ChargeMigrationOnNextDispatch(migratedPages);
            if (!specialPages.IsDefaultOrEmpty)
            {
                cpu.RestoreSpecialPage(specialPages[0], specialPages[1]);
            }
        }
        else
        {
            cpu.Boot(plan ?? throw new ArgumentNullException(nameof(plan), "a vCPU boots from a plan or continues from a state"));
        }

        _context = Context;
        _ready = m => { Ready(m); return true; };
        _awaitingRouter = m => { AwaitingRouter(m); return true; };
        _awaitingMemory = m => { AwaitingMemory(m); return true; };
        _halted = m => { Halted(m); return true; };
        _moved = m => { Moved(m); return true; };
    }

    protected override void OnReceive(object message) => Ready(message);

    private void Ready(object message)
    {
        switch (message)
        {
            case Dispatch d:
                _pcpu = Sender;
                Act(_loop.Dispatch(d.Pcpu, d.Budget, d.MachineSwitch, d.Clock));
                break;
            case CaptureVcpu:
                Capture();
                break;
            case CheckpointVcpu:
                Checkpoint();
                break;
            case HaltVcpu:
                _context.Become(_moved);
                break;
            default:
                Common(message);
                break;
        }
    }

    private void AwaitingRouter(object message)
    {
        if (message is TrapRouterProtocol.Decided decided)
        {
            Act(_loop.OnDecided(decided.Decision, decided.Mappings));
        }
        else
        {
            Common(message);
        }
    }

    private void AwaitingMemory(object message)
    {
        if (message is MemoryManagerProtocol.PagesTranslated reply && reply.Correlation == _nextCorrelation)
        {
            Act(_loop.OnPagesTranslated(reply.Mappings));
        }
        else
        {
            Common(message);
        }
    }

    /// <summary>The guest runs no more: a dispatch is handed straight back.</summary>
    private void Halted(object message)
    {
        switch (message)
        {
            case Dispatch d:
                Sender.Tell(ToYielded(_loop.Dispatch(d.Pcpu, d.Budget, d.MachineSwitch, d.Clock)), _self);
                break;
            case CaptureVcpu:
                Capture();
                break;
            case CheckpointVcpu:
                Checkpoint();
                break;
            case HaltVcpu:
                _context.Become(_moved);
                break;
            default:
                Common(message);
                break;
        }
    }

    private void Common(object message)
    {
        switch (message)
        {
            case GetStatistics:
                Sender.Tell(_loop.Statistics());
                break;
            case CaptureVcpu or CheckpointVcpu:
                Sender.Tell(new CaptureRefused(_loop.Key, "the vCPU is in a dispatch"), _self);
                break;
            case HaltVcpu:
                _haltRequested = true; // at the end of this dispatch
                break;
            case RemapPages remap:
                _loop.Remap(remap.Mappings);
                Sender.Tell(new PagesRemapped(_loop.Key), _self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Between dispatches the state is whole: hand it over; the VM is moving and this vCPU runs no more.</summary>
    private void Capture()
    {
        Sender.Tell(new VcpuCaptured(_loop.Key, _loop.Capture()), _self);
        _context.Become(_moved);
    }

    /// <summary>Between dispatches, for a checkpoint: the state with the written pages taken out of it; the vCPU goes on.</summary>
    private void Checkpoint()
    {
        bool full = !_loop.Cpu.Dirty.Tracking;
        var dirty = _loop.Cpu.TakeDirtyPages();
        Sender.Tell(new VcpuCheckpointed(_loop.Key, _loop.Capture(), full, full ? [] : dirty), _self);
    }

    /// <summary>The VM moved on: a dispatch that still arrives finds nothing to run here.</summary>
    private void Moved(object message)
    {
        switch (message)
        {
            case Dispatch:
                Sender.Tell(new Yielded(_loop.Key, YieldReason.Halted, 0, 0, 0), _self);
                break;
            case RemapPages:
                // Its pages left with it: nothing here to remap, but the root waits for the answer.
                Sender.Tell(new PagesRemapped(_loop.Key), _self);
                break;
            case GetStatistics:
                Sender.Tell(_loop.Statistics());
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Act(VcpuStep step)
    {
        switch (step.Kind)
        {
            case VcpuStepKind.Trap:
                _router.Tell(new TrapRouterProtocol.Trap(_loop.Key, _loop.Pcpu, step.Trap!, _loop.Cycle), _self);
                _context.Become(_awaitingRouter);
                break;
            case VcpuStepKind.TranslatePage:
                _memoryManager.Tell(new MemoryManagerProtocol.TranslatePages(_loop.Key.Vm, [step.Page], ++_nextCorrelation) { Operation = step.Operation }, _self);
                _context.Become(_awaitingMemory);
                break;
            case VcpuStepKind.Crash:
                _guestVm.Tell(new GuestVmProtocol.Crashed(_loop.Key.Vm, step.CrashKind, step.Diagnostic!), _self);
                _pcpu.Tell(ToYielded(step), _self);
                _context.Become(_halted);
                break;
            default:
                if (_haltRequested)
                {
                    _pcpu.Tell(new Yielded(_loop.Key, YieldReason.Halted, step.CyclesUsed, step.IdleCycles, step.Instructions), _self);
                    _context.Become(_moved);
                    break;
                }

                _pcpu.Tell(ToYielded(step), _self);
                _context.Become(_loop.Halted ? _halted : _ready);
                break;
        }
    }

    private Yielded ToYielded(in VcpuStep step) => new(_loop.Key, step.Reason, step.CyclesUsed, step.IdleCycles, step.Instructions);
}
