using System.Collections.Immutable;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using Akka.Actor;
using static ActorVmm.Actors.TrapRouterProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// The monitor's trap handler for one VM: a mailbox for <see cref="TrapHandler"/>. It
/// emulates privileged instructions on the vCPU's virtual CP0, reflects guest exceptions to
/// the vectors the guest installed through EBase, performs the guest's ERET, intercepts TLB
/// writes (asking the memory manager for the machine pages before it replies), and emulates
/// the device page, whose console bytes and power-off go to the GuestVm.
/// </summary>
public sealed class TrapRouter : UntypedActor
{
    private readonly int _vm;
    private readonly TrapHandler _handler;
    private readonly IActorRef _memoryManager;
    private readonly IActorRef _guestVm;
    private readonly IActorRef _self;
    private readonly Dictionary<long, IActorRef> _waiting = new();

    /// <param name="restore">The state of the router it continues from (a VM that moved here), or null for a new VM.</param>
    public TrapRouter(int vm, uint memoryBytes, IActorRef memoryManager, IActorRef guestVm, RouterState? restore = null, CostModel? costs = null)
    {
        _vm = vm;
        _memoryManager = memoryManager;
        _guestVm = guestVm;
        _self = Self; // an explicit sender spares a thread-static lookup per reply
        _handler = new TrapHandler(vm, memoryBytes, MonitorNode.Get(Context.System).Trace,
            (offset, bytes) => _guestVm.Tell(new GuestVmProtocol.ConsoleOutput(_vm, offset, bytes), _self), costs);
        if (restore is not null)
        {
            _handler.Restore(restore);
        }
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Trap trap:
            {
                var step = _handler.OnTrap(trap.Vcpu.Vcpu, trap.Pcpu, trap.Request, trap.Cycle);
                if (step.Kind == RouterStepKind.Translate)
                {
                    _waiting[step.Correlation] = Sender;
                    _memoryManager.Tell(new MemoryManagerProtocol.TranslatePages(_vm, step.Pages, step.Correlation) { Operation = step.Operation }, _self);
                    return;
                }

                Reply(Sender, step);
                break;
            }

            case MemoryManagerProtocol.PagesTranslated reply:
            {
                var step = _handler.OnPagesTranslated(reply.Correlation, reply.Mappings);
                if (step.Kind == RouterStepKind.Decided && _waiting.Remove(reply.Correlation, out var vcpu))
                {
                    Reply(vcpu, step);
                }

                break;
            }

            case CaptureRouter:
                Sender.Tell(new RouterCaptured(_vm, _handler.Capture()), _self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Reply(IActorRef vcpu, in RouterStep step)
    {
        // The vCPU first: the power-off store must retire before the VM is reported off, or
        // the root's GetStatistics (sent once it hears) can reach the vCPU ahead of this reply
        // and count one instruction too few.
        vcpu.Tell(new Decided(step.Decision!, step.Mappings.IsDefault ? ImmutableArray<GuestPageMapping>.Empty : step.Mappings), _self);
        if (step.Decision is DeviceDone { PoweredOff: true } done)
        {
            _guestVm.Tell(new GuestVmProtocol.PoweredOff(_vm, done.ExitStatus), _self);
        }
    }
}
