using System.Collections.Immutable;
using ActorVmm.Actors.Protocol;
using ActorVmm.Actors.Tracing;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Virtualization;
using ActorVmm.Memory;
using Akka.Actor;
using static ActorVmm.Actors.Protocol.VirtualCpuProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// One guest CPU. When a physical CPU dispatches it, it runs its guest's instructions in
/// <see cref="VirtualizedCpu"/> until the budget is spent or the monitor must act: every trap
/// goes to the TrapRouter and the reply is applied; a page it has no machine page for is
/// asked of the MemoryManager. It yields on quantum end, on idle (WAIT) and on halt.
/// </summary>
public sealed class VirtualCpu : ReceiveActor
{
    private readonly VcpuKey _key;
    private readonly VirtualizedCpu _cpu;
    private readonly IActorRef _router;
    private readonly IActorRef _memoryManager;
    private readonly IActorRef _guestVm;
    private readonly TraceRecorder _trace;
    private readonly TrapTally _traps = new();
    private readonly IActorRef _self;
    private IActorRef _pcpu = ActorRefs.Nobody;
    private int _pcpuId;
    private long _dispatchStart;
    private long _dispatchInstructions;
    private long _cycleLimit;
    private long _nextCorrelation;
    private readonly long _maxInstructions;
    private bool _halted;

    public VirtualCpu(VcpuKey key, uint memoryBytes, long maxInstructions, BootPlan plan, CostModel costs, int tlbEntries,
        IActorRef router, IActorRef memoryManager, IActorRef guestVm)
    {
        _key = key;
        _maxInstructions = maxInstructions > 0 ? maxInstructions : long.MaxValue;
        _router = router;
        _memoryManager = memoryManager;
        _guestVm = guestVm;
        _self = Self; // an explicit sender spares a thread-static lookup per trap
        var node = MonitorNode.Get(Context.System);
        _trace = node.Trace;
        _cpu = new VirtualizedCpu(node.MachineMemory, memoryBytes, costs, tlbEntries, (uint)key.Vcpu);
        _cpu.Boot(plan);
        if (_trace.Enabled)
        {
            _cpu.OnL2Refill = (va, mpn) => _trace.Record(TraceKind.L2TlbRefill, _key.Vm, _key.Vcpu, _pcpuId, _cpu.Machine.Pc, 0, va, mpn.Value);
            _cpu.OnResumed = pc => _trace.Record(TraceKind.Resumed, _key.Vm, _key.Vcpu, _pcpuId, pc, 0, pc);
        }

        Receive<Dispatch>(OnDispatch);
        Receive<TrapRouterProtocol.Decided>(OnDecided);
        Receive<MemoryManagerProtocol.PagesTranslated>(OnPagesTranslated);
        Receive<GetStatistics>(_ => Sender.Tell(Statistics()));
    }

    private void OnDispatch(Dispatch dispatch)
    {
        _pcpu = Sender;
        _pcpuId = dispatch.Pcpu;
        if (_halted)
        {
            _pcpu.Tell(new Yielded(_key, YieldReason.Halted, 0, 0, 0));
            return;
        }

        _dispatchStart = _cpu.ConsumedCycles;
        _dispatchInstructions = _cpu.GuestInstructions;
        if (dispatch.MachineSwitch)
        {
            _cpu.ChargeMachineSwitch();
            _cpu.FlushMachineTlb();
        }

        _cycleLimit = _dispatchStart + dispatch.Budget;
        Continue();
    }

    /// <summary>Run the guest until the next thing only the monitor can do.</summary>
    private void Continue()
    {
        if (_cpu.GuestInstructions >= _maxInstructions)
        {
            Crash(MachineOutcomeKind.InstructionLimit, $"stopped at its limit of {_maxInstructions:N0} instructions");
            return;
        }

        var stop = _cpu.Run(_cycleLimit, _maxInstructions);
        switch (stop.Kind)
        {
            case VcpuStopKind.BudgetExhausted when _cpu.GuestInstructions >= _maxInstructions:
                Crash(MachineOutcomeKind.InstructionLimit, $"stopped at its limit of {_maxInstructions:N0} instructions");
                break;
            case VcpuStopKind.BudgetExhausted:
                Yield(YieldReason.QuantumEnd, 0);
                break;
            case VcpuStopKind.Trap:
            {
                var request = stop.Trap!;
                var e = request.Exception;
                if (_trace.Enabled)
                {
                    _trace.Record(TraceKind.Trap, _key.Vm, _key.Vcpu, _pcpuId, e.Pc, TraceFormat.TrapAux(request.Kind, e.Code), e.Instruction, e.BadVAddr, TraceFormat.TrapFlags(e));
                }

                _traps.Count(request);
                _router.Tell(new TrapRouterProtocol.Trap(_key, _pcpuId, request), _self);
                break;
            }

            case VcpuStopKind.NeedPage:
                _trace.Record(TraceKind.MapRequest, _key.Vm, _key.Vcpu, _pcpuId, _cpu.Machine.Pc, 1, stop.Page.Value);
                _memoryManager.Tell(new MemoryManagerProtocol.TranslatePages(_key.Vm, [stop.Page], ++_nextCorrelation, MapPurpose.L2TlbRefill));
                break;
            case VcpuStopKind.Halted:
                Crash(MachineOutcomeKind.ExceptionLoop, stop.Diagnostic ?? "the guest cannot go on");
                break;
        }
    }

    private void OnDecided(TrapRouterProtocol.Decided decided)
    {
        _cpu.Apply(decided.Decision, decided.Mappings.IsDefaultOrEmpty ? null : decided.Mappings);
        switch (decided.Decision)
        {
            case Idled:
            {
                long idle = _cpu.Idle();
                if (idle < 0)
                {
                    Crash(MachineOutcomeKind.Hung, $"WAIT at pc 0x{_cpu.Machine.Pc - 4:X8} with the timer interrupt masked: nothing can wake the CPU");
                    return;
                }

                if (idle > 0)
                {
                    Yield(YieldReason.Idle, idle);
                    return;
                }

                break;
            }

            case DeviceDone { PoweredOff: true }:
                _halted = true;
                Yield(YieldReason.Halted, 0);
                return;
        }

        Continue();
    }

    private void OnPagesTranslated(MemoryManagerProtocol.PagesTranslated reply)
    {
        foreach (var mapping in reply.Mappings)
        {
            if (mapping.Kind == GuestPageKind.MachineMemoryExhausted)
            {
                Crash(MachineOutcomeKind.Crashed, $"machine memory is exhausted: no machine page for guest {mapping.Ppn}");
                return;
            }

            _cpu.AddPage(mapping);
        }

        Continue();
    }

    private void Crash(MachineOutcomeKind kind, string diagnostic)
    {
        _halted = true;
        _trace.Record(TraceKind.VmCrashed, _key.Vm, _key.Vcpu, _pcpuId, _cpu.Machine.Pc);
        _guestVm.Tell(new GuestVmProtocol.Crashed(_key.Vm, kind, $"{diagnostic} (pc 0x{_cpu.Machine.Pc:X8}, {_cpu.GuestInstructions:N0} instructions)"));
        Yield(YieldReason.Halted, 0);
    }

    private void Yield(YieldReason reason, long idleCycles)
    {
        long used = _cpu.ConsumedCycles - _dispatchStart;
        _trace.Record(TraceKind.Yield, _key.Vm, _key.Vcpu, _pcpuId, _cpu.Machine.Pc, (ushort)reason, (uint)used, (uint)(used >> 32));
        _pcpu.Tell(new Yielded(_key, reason, used, idleCycles, _cpu.GuestInstructions - _dispatchInstructions));
    }

    private VcpuStatistics Statistics() => new(
        _key,
        _cpu.GuestInstructions,
        _cpu.Machine.RetiredIn(PrivilegeMode.Supervisor) + _cpu.Machine.RetiredIn(PrivilegeMode.Kernel),
        _cpu.Machine.RetiredIn(PrivilegeMode.User),
        _cpu.ConsumedCycles,
        _cpu.IdleCycles,
        _cpu.L2TlbHits,
        _cpu.Ledger.Snapshot(),
        _traps.ByName(),
        _cpu.Profile.Snapshot(),
        _cpu.ContextSwitches);
}
