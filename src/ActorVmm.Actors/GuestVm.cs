using System.Text;
using ActorVmm.Actors.Configuration;
using ActorVmm.Actors.Protocol;
using ActorVmm.Actors.Tracing;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.Cpu.Virtualization;
using Akka.Actor;
using static ActorVmm.Actors.Protocol.GuestVmProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// One VM: its configuration, its lifecycle (load the kernel, boot its vCPU, run, stop),
/// its console, and its children, the TrapRouter and the VirtualCpu. A failure inside the VM
/// (a bad kernel, a simulator error in its vCPU) stops this VM only.
/// </summary>
public sealed class GuestVm : ReceiveActor
{
    private readonly VmSettings _settings;
    private readonly IActorRef _memoryManager;
    private readonly IActorRef _monitor;
    private readonly CostModel _costs;
    private readonly int _tlbEntries;
    private readonly MonitorNode _node;
    private readonly StringBuilder _console = new();
    private readonly StringBuilder _partialLine = new();
    private BootPlan? _plan;
    private bool _finished;
    private bool _childFailed;

    public GuestVm(VmSettings settings, CostModel costs, int tlbEntries, IActorRef memoryManager, IActorRef monitor)
    {
        _settings = settings;
        _costs = costs;
        _tlbEntries = tlbEntries;
        _memoryManager = memoryManager;
        _monitor = monitor;
        _node = MonitorNode.Get(Context.System);

        Receive<MemoryManagerProtocol.VmRegistered>(_ => Boot());
        Receive<MemoryManagerProtocol.VmReleased>(_ => { });
        Receive<MemoryManagerProtocol.VmRefused>(r => _monitor.Tell(new VmFailed(_settings.Id, _settings.Name, r.Reason)));
        Receive<ConsoleOutput>(OnConsole);
        Receive<PoweredOff>(p => Finish(MachineOutcome.PowerOff(p.Status)));
        Receive<Crashed>(c => Finish(new MachineOutcome(c.Kind, -1, c.Diagnostic)));
    }

    protected override void PreStart()
    {
        try
        {
            _plan = _node.BootImages.Plan(_settings.KernelPath, new BootConfiguration(_settings.MemoryBytes, _settings.CommandLine, 1, _tlbEntries));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ElfFormatException or MachineConfigurationException)
        {
            _monitor.Tell(new VmFailed(_settings.Id, _settings.Name, $"kernel {_settings.KernelPath}: {e.Message}"));
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

    private void Boot()
    {
        var key = new VcpuKey(_settings.Id, 0);
        var router = Context.ActorOf(_node.OnVmDispatcher(Props.Create(() => new TrapRouter(_settings.Id, _settings.MemoryBytes, _memoryManager, Self)), _settings.Id), "router");
        var vcpu = Context.ActorOf(_node.OnVmDispatcher(Props.Create(() => new VirtualCpu(key, _settings.MemoryBytes, _settings.MaxInstructions, _plan!, _costs, _tlbEntries, router, _memoryManager, Self)), _settings.Id), "vcpu0");
        _node.Trace.Record(TraceKind.VmStarted, _settings.Id, 0, 0, _plan!.Entry, 0, _plan.Entry);
        _monitor.Tell(new VmReady(_settings.Id, _settings.Name, [new VcpuHandle(key, vcpu)]));
    }

    private void OnConsole(ConsoleOutput output)
    {
        _console.Append(output.Text);
        foreach (char c in output.Text)
        {
            if (c == '\n')
            {
                _node.Console.Line(_settings.Name, _partialLine.ToString());
                _partialLine.Clear();
            }
            else
            {
                _partialLine.Append(c);
            }
        }
    }

    private void Finish(MachineOutcome outcome)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (_partialLine.Length > 0)
        {
            _node.Console.Line(_settings.Name, _partialLine.ToString());
            _partialLine.Clear();
        }

        _node.Trace.Record(outcome.Kind == MachineOutcomeKind.PoweredOff ? TraceKind.VmPoweredOff : TraceKind.VmCrashed,
            _settings.Id, 0, 0, 0, 0, (uint)outcome.ExitStatus);
        if (!_childFailed)
        {
            // Its vCPU has stopped running guest code: the machine pages can serve other VMs.
            // After a simulator error the vCPU may still be finishing a message, so they stay.
            _memoryManager.Tell(new MemoryManagerProtocol.ReleaseVm(_settings.Id));
        }
        _monitor.Tell(new VmFinished(_settings.Id, _settings.Name, outcome, _console.ToString()));
    }
}
