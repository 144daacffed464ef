using System.Collections.Immutable;
using System.Text;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Monitor;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;
using static ActorVmm.Actors.GuestVmProtocol;
using static ActorVmm.Actors.MonitorRootProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// One VM: its configuration, its lifecycle and its console, and its children, the TrapRouter
/// and the VirtualCpu. States: loading (its kernel is placed in machine memory), running
/// (console bytes arrive; the guest powers off or crashes), finished. A failure inside the VM
/// (a bad kernel, a simulator error in its vCPU) stops this VM only.
/// </summary>
public sealed class GuestVm : UntypedActor
{
    private readonly VmSettings _settings;
    private readonly IActorRef _memoryManager;
    private readonly IActorRef _monitor;
    private readonly CostModel _costs;
    private readonly int _tlbEntries;
    private readonly MonitorNode _node;
    private readonly MemoryStream _console = new();
    private readonly MemoryStream _partialLine = new();
    private BootPlan? _plan;
    private bool _childFailed;

    public GuestVm(VmSettings settings, CostModel costs, int tlbEntries, IActorRef memoryManager, IActorRef monitor)
    {
        _settings = settings;
        _costs = costs;
        _tlbEntries = tlbEntries;
        _memoryManager = memoryManager;
        _monitor = monitor;
        _node = MonitorNode.Get(Context.System);
    }

    protected override void PreStart()
    {
        try
        {
            _plan = _node.BootImages.Plan(_settings.KernelPath, new BootConfiguration(_settings.MemoryBytes, _settings.CommandLine, 1, _tlbEntries));
        }
        catch (Exception e)
        {
            // Whatever the kernel file holds, the VM fails alone and says why; the run goes on.
            _monitor.Tell(new VmFailed(_settings.Id, _settings.Name, $"kernel {_settings.KernelPath}: {e.Message}"));
            Become(Finished);
            return;
        }

        _memoryManager.Tell(new MemoryManagerProtocol.RegisterVm(_settings.Id, _settings.MemoryBytes, _plan));
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

    protected override void OnReceive(object message) => Loading(message);

    private void Loading(object message)
    {
        switch (message)
        {
            case MemoryManagerProtocol.VmRegistered:
                Boot();
                Become(Running);
                break;
            case MemoryManagerProtocol.VmRefused r:
                _monitor.Tell(new VmFailed(_settings.Id, _settings.Name, r.Reason));
                Become(Finished);
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
        var router = Context.ActorOf(_node.OnVmDispatcher(Props.Create(() => new TrapRouter(_settings.Id, _settings.MemoryBytes, _memoryManager, Self)), _settings.Id), "router");
        var vcpu = Context.ActorOf(_node.OnVmDispatcher(Props.Create(() => new VirtualCpu(key, _settings.MemoryBytes, _settings.MaxInstructions, _plan!, _costs, _tlbEntries, _settings.L2Tlb, router, _memoryManager, Self)), _settings.Id), "vcpu0");
        _node.Trace.Record(_settings.Id, 0, 0, _plan!.Entry, new VmStartedEvent(_plan.Entry));
        _monitor.Tell(new VmReady(_settings.Id, _settings.Name, [new VcpuHandle(key, vcpu)]));
    }

    private void OnConsole(ConsoleOutput output)
    {
        // Bytes below what this VM has already received are a repeat (a re-sent chunk): shown once.
        long skip = Math.Max(0, _console.Length - output.Offset);
        var bytes = output.Bytes.AsSpan();
        bytes = bytes[(int)Math.Min(skip, bytes.Length)..];
        _console.Write(bytes);
        foreach (byte b in bytes)
        {
            if (b == (byte)'\n')
            {
                ShowPartialLine();
            }
            else
            {
                _partialLine.WriteByte(b);
            }
        }
    }

    private void ShowPartialLine()
    {
        _node.Console.Line(_settings.Name, _partialLine.GetBuffer().AsSpan(0, (int)_partialLine.Length));
        _partialLine.SetLength(0);
    }

    private void Finish(MachineOutcome outcome)
    {
        Become(Finished);
        if (_partialLine.Length > 0)
        {
            ShowPartialLine();
        }

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
            _memoryManager.Tell(new MemoryManagerProtocol.ReleaseVm(_settings.Id));
        }

        _monitor.Tell(new VmFinished(_settings.Id, _settings.Name, outcome, Encoding.Latin1.GetString(_console.GetBuffer(), 0, (int)_console.Length)));
    }
}
