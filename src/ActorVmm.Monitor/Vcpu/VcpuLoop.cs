using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Monitor;

/// <summary>
/// The vCPU's side of the trap loop: a dispatch runs the guest until the budget is spent or
/// the monitor must act; every trap goes to the trap router and its decision is applied; a
/// guest page it has no machine page for is asked of the memory manager; it yields on quantum
/// end, on idle (WAIT) and on halt. Each call returns the next <see cref="VcpuStep"/>; the
/// VirtualCpu actor turns steps into messages, <see cref="SynchronousMonitor"/> into calls,
/// so both run this code.
/// </summary>
public sealed class VcpuLoop
{
    private readonly VcpuKey _key;
    private readonly VirtualizedCpu _cpu;
    private readonly TraceRecorder _trace;
    private readonly long _maxInstructions;
    private readonly TrapTally _traps = new();
    private long _dispatchStart;
    private long _clockAtDispatch;
    private long _dispatchInstructions;
    private long _cycleLimit;
    private int _migratedPages = -1;

    /// <param name="maxInstructions">Stop the guest after this many instructions; 0 for no limit.</param>
    public VcpuLoop(VcpuKey key, VirtualizedCpu cpu, long maxInstructions, TraceRecorder trace)
    {
        _key = key;
        _cpu = cpu;
        _trace = trace;
        _maxInstructions = maxInstructions > 0 ? maxInstructions : long.MaxValue;
        if (trace.Enabled)
        {
            _cpu.OnL2Refill = (va, mpn) => _trace.Record(_key.Vm, _key.Vcpu, Pcpu, Cycle, _cpu.Machine.Pc, new L2TlbRefillEvent(va, mpn.Value));
            _cpu.OnResumed = pc => _trace.Record(_key.Vm, _key.Vcpu, Pcpu, Cycle, pc, new ResumedEvent(pc));
            _cpu.OnL2GuestRefill = (va, mpn, slot) => _trace.Record(_key.Vm, _key.Vcpu, Pcpu, Cycle, _cpu.Machine.Pc, new L2GuestRefillEvent(va, mpn.Value, (uint)slot));
        }
    }

    public VcpuKey Key => _key;

    public VirtualizedCpu Cpu => _cpu;

    /// <summary>The physical CPU of the current dispatch.</summary>
    public int Pcpu { get; private set; }

    /// <summary>Simulated time now: the current dispatch's physical-CPU clock plus the cycles this vCPU used since.</summary>
    public long Cycle => _clockAtDispatch + _cpu.ConsumedCycles - _dispatchStart;

    /// <summary>The guest powered off or crashed: it runs no more.</summary>
    public bool Halted { get; private set; }

    public long Traps => _traps.Total;

    /// <summary>
    /// A physical CPU gives this vCPU <paramref name="budget"/> simulated cycles (after a machine
    /// switch if it ran another vCPU last), from <paramref name="clock"/> on its simulated clock.
    /// </summary>
    public VcpuStep Dispatch(int pcpu, long budget, bool machineSwitch, long clock = 0)
    {
        Pcpu = pcpu;
        _clockAtDispatch = clock;
        if (Halted)
        {
            return new VcpuStep(VcpuStepKind.Yield, Reason: YieldReason.Halted);
        }

        _dispatchStart = _cpu.ConsumedCycles;
        _dispatchInstructions = _cpu.GuestInstructions;
        if (_migratedPages >= 0)
        {
            // The move is paid for on the node it came to, in the time of the CPU that runs it.
            _cpu.ChargeMigration(_migratedPages);
            _migratedPages = -1;
        }

        if (machineSwitch)
        {
            _cpu.SwitchIn();
        }

        _cycleLimit = _dispatchStart + budget;
        return Continue();
    }

    /// <summary>The trap router's decision for the trap this vCPU sent.</summary>
    public VcpuStep OnDecided(TrapDecision decision, ImmutableArray<GuestPageMapping> mappings)
    {
        _cpu.Apply(decision, mappings);
        switch (decision)
        {
            case Idled:
            {
                long idle = _cpu.Idle();
                if (idle == WaitIdle.Never)
                {
                    return Crash(MachineOutcomeKind.Hung, $"WAIT at pc 0x{_cpu.Machine.Pc - 4:X8} with the timer interrupt masked: nothing can wake the CPU");
                }

                if (idle > 0)
                {
                    return Yield(YieldReason.Idle, idle);
                }

                break;
            }

            case DeviceDone { PoweredOff: true }:
                Halted = true;
                return Yield(YieldReason.Halted, 0);
        }

        return Continue();
    }

    /// <summary>The memory manager's answer for the page this vCPU asked about.</summary>
    public VcpuStep OnPagesTranslated(ImmutableArray<GuestPageMapping> mappings)
    {
        foreach (var mapping in mappings)
        {
            if (mapping.Kind == GuestPageKind.MachineMemoryExhausted)
            {
                return Crash(MachineOutcomeKind.Crashed, $"machine memory is exhausted: no machine page for guest {mapping.Ppn}");
            }

            _cpu.AddPage(mapping);
        }

        return Continue();
    }

    /// <summary>The memory manager moved pages under this vCPU (shared by the content scan): take the new answers in.</summary>
    public void Remap(ImmutableArray<GuestPageMapping> mappings)
    {
        foreach (var mapping in mappings)
        {
            _cpu.AddPage(mapping);
        }
    }

    /// <summary>This vCPU has just moved here with <paramref name="pages"/> guest pages: charge the move when it next runs.</summary>
    public void ChargeMigrationOnNextDispatch(int pages) => _migratedPages = pages;

    /// <summary>The vCPU as a value, between two dispatches (not while a trap or a page is awaited).</summary>
    public VcpuState Capture() => _cpu.Capture(_traps.Capture());

    /// <summary>Continue as the vCPU <paramref name="state"/> was taken from.</summary>
    public void Restore(VcpuState state)
    {
        _cpu.Restore(state);
        _traps.Restore(state.Traps);
    }

    public VcpuStatistics Statistics() => new(
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
        _cpu.ContextSwitches)
    {
        L2TlbMode = _cpu.L2Mode,
        L2GuestRefills = _cpu.L2Refills.Refills,
        L2GuestInstructionsSaved = _cpu.L2Refills.GuestInstructionsSaved,
        Paravirtual = _cpu.Paravirtual is not null,
    };

    /// <summary>Run the guest until the next thing only the monitor can do.</summary>
    private VcpuStep Continue()
    {
        if (_cpu.GuestInstructions >= _maxInstructions)
        {
            return Crash(MachineOutcomeKind.InstructionLimit, $"stopped at its limit of {_maxInstructions:N0} instructions");
        }

        var stop = _cpu.Run(_cycleLimit, _maxInstructions);
        switch (stop.Kind)
        {
            case VcpuStopKind.BudgetExhausted when _cpu.GuestInstructions >= _maxInstructions:
                return Crash(MachineOutcomeKind.InstructionLimit, $"stopped at its limit of {_maxInstructions:N0} instructions");
            case VcpuStopKind.BudgetExhausted:
                return Yield(YieldReason.QuantumEnd, 0);
            case VcpuStopKind.Trap:
            {
                var request = stop.Trap!;
                var e = request.Exception;
                if (_trace.Enabled)
                {
                    _trace.Record(_key.Vm, _key.Vcpu, Pcpu, Cycle, e.Pc, TrapEvent.Of(request.Kind, e));
                }

                _traps.Count(request);
                return new VcpuStep(VcpuStepKind.Trap, request);
            }

            case VcpuStopKind.NeedPage:
                _trace.Record(_key.Vm, _key.Vcpu, Pcpu, Cycle, _cpu.Machine.Pc, new MapRequestEvent(stop.Page.Value,
                    stop.Operation == PageOperation.CopyOnWrite ? MapPurpose.CopyOnWrite : MapPurpose.L2TlbRefill));
                return new VcpuStep(VcpuStepKind.TranslatePage, Page: stop.Page, Operation: stop.Operation);
            default:
                return Crash(MachineOutcomeKind.ExceptionLoop, stop.Diagnostic ?? "the guest cannot go on");
        }
    }

    private VcpuStep Crash(MachineOutcomeKind kind, string diagnostic)
    {
        Halted = true;
        _trace.Record(_key.Vm, _key.Vcpu, Pcpu, Cycle, _cpu.Machine.Pc, default(VmCrashedEvent));
        var yield = Yield(YieldReason.Halted, 0);
        return yield with
        {
            Kind = VcpuStepKind.Crash,
            CrashKind = kind,
            Diagnostic = $"{diagnostic} (pc 0x{_cpu.Machine.Pc:X8}, {_cpu.GuestInstructions:N0} instructions)",
        };
    }

    private VcpuStep Yield(YieldReason reason, long idleCycles)
    {
        long used = _cpu.ConsumedCycles - _dispatchStart;
        _trace.Record(_key.Vm, _key.Vcpu, Pcpu, Cycle, _cpu.Machine.Pc, new YieldEvent(reason, used));
        return new VcpuStep(VcpuStepKind.Yield, Reason: reason, CyclesUsed: used, IdleCycles: idleCycles,
            Instructions: _cpu.GuestInstructions - _dispatchInstructions);
    }
}
