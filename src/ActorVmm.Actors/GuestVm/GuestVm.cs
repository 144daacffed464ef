using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Monitor;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;
using static ActorVmm.Actors.GuestVmProtocol;
using static ActorVmm.Actors.MonitorRootProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// One VM: its lifecycle, its console stream and its children, the TrapRouter and the
/// VirtualCpu. States: waiting to be told which VM it is (<see cref="StartVm"/>), loading (its
/// kernel is placed in the node's machine memory), running (console bytes pass through to the
/// ConsoleSink; the guest powers off or crashes), finished. A failure inside the VM (a bad
/// kernel, a simulator error in its vCPU) stops this VM only.
/// </summary>
public sealed class GuestVm : UntypedActor
{
    private readonly MonitorNode _node;
    private StartVm _start = null!;
    private VmSettings _settings = null!;
    private BootPlan? _plan;
    private long _consoleLength;
    private bool _childFailed;

    public GuestVm()
    {
        _node = MonitorNode.Get(Context.System);
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
        if (message is StartVm start)
        {
            Start(start);
        }
        else
        {
            Unhandled(message);
        }
    }

    private void Start(StartVm start)
    {
        _start = start;
        _settings = start.Settings;
        _start.Console.Tell(new ConsoleSinkProtocol.ConsoleOpened(_settings.Id, _settings.Name));
        try
        {
            _plan = _node.BootImages.Plan(_settings.KernelPath, new BootConfiguration(_settings.MemoryBytes, _settings.CommandLine, 1, start.TlbEntries));
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
                Boot();
                Become(Running);
                break;
            case MemoryManagerProtocol.VmRefused r:
                Fail(r.Reason);
                break;
            default:
                Unhandled(message);
                break;
        }
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
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>The VM has stopped: what still arrives (the memory manager's receipt, a late crash report) changes nothing.</summary>
    private void Finished(object message)
    {
    }

    private void Boot()
    {
        var key = new VcpuKey(_settings.Id, 0);
        var memoryManager = _node.MemoryManager;
        var settings = _settings;
        var costs = _start.Costs;
        int tlb = _start.TlbEntries;
        var plan = _plan!;
        var router = Context.ActorOf(_node.OnVmDispatcher(Props.Create(() => new TrapRouter(settings.Id, settings.MemoryBytes, memoryManager, Self)), settings.Id), "router");
        var vcpu = Context.ActorOf(_node.OnVmDispatcher(Props.Create(() => new VirtualCpu(key, settings.MemoryBytes, settings.MaxInstructions, plan, costs, tlb, router, memoryManager, Self)), settings.Id), "vcpu0");
        _node.Trace.Record(_settings.Id, 0, 0, plan.Entry, new VmStartedEvent(plan.Entry));
        _start.Root.Tell(new VmReady(_settings.Id, _settings.Name, [new VcpuHandle(key, vcpu)]));
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
        _start.Console.Tell(new ConsoleSinkProtocol.ConsoleClosed(_settings.Id, 0));
        _start.Root.Tell(new VmFailed(_settings.Id, _settings.Name, reason));
        Become(Finished);
    }

    private void Finish(MachineOutcome outcome)
    {
        Become(Finished);
        _start.Console.Tell(new ConsoleSinkProtocol.ConsoleClosed(_settings.Id, _consoleLength));
        if (outcome.Kind == MachineOutcomeKind.PoweredOff)
        {
            _node.Trace.Record(_settings.Id, 0, 0, 0, new VmPoweredOffEvent(outcome.ExitStatus));
        }
        else
        {
            _node.Trace.Record(_settings.Id, 0, 0, 0, default(VmCrashedEvent));
        }

        if (!_childFailed)
        {
            // Its vCPU has stopped running guest code: the machine pages can serve other VMs.
            // After a simulator error the vCPU may still be finishing a message, so they stay.
            _node.MemoryManager.Tell(new MemoryManagerProtocol.ReleaseVm(_settings.Id));
        }

        _start.Root.Tell(new VmFinished(_settings.Id, _settings.Name, outcome));
    }
}
