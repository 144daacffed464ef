using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Monitor;

/// <summary>
/// The trap router's logic for one VM, without actors: decides each trap
/// (<see cref="TrapEmulator"/>), intercepts TLB writes (VPN→PPN must become VPN→MPN, so the
/// entry's guest-physical pages the vCPU has not seen yet are asked of the memory manager
/// before the decision goes back), and emulates the VM's device page, whose console bytes it
/// hands on as a stream. The TrapRouter actor and <see cref="SynchronousMonitor"/> both run it.
/// </summary>
public sealed class TrapHandler
{
    private readonly int _vm;
    private readonly TraceRecorder _trace;
    private readonly DeviceRegisters _devices;
    private readonly ConsoleStream _console;
    private readonly CostModel _costs;
    private readonly Dictionary<long, PendingDecision> _pending = new();
    private long _nextCorrelation;
    private uint _recordedEBase = uint.MaxValue;
    private long _cycle = TraceRecord.NoCycle;

    /// <param name="console">Receives each chunk of console output with its offset in the VM's console stream.</param>
    /// <param name="costs">What each decision costs in simulated cycles: the trace dates a decision at its trap's cycle plus that cost.</param>
    public TrapHandler(int vm, uint memoryBytes, TraceRecorder trace, Action<long, ImmutableArray<byte>> console, CostModel? costs = null)
    {
        _vm = vm;
        _trace = trace;
        _costs = costs ?? CostModel.Default;
        _console = new ConsoleStream((offset, bytes) =>
        {
            _trace.Record(_vm, 0, 0, _cycle, 0, new ConsoleOutputEvent((uint)bytes.Length));
            console(offset, bytes);
        });
        _devices = new DeviceRegisters(memoryBytes, 1, _console);
    }

    /// <summary>The guest wrote the power-off register; <see cref="ExitStatus"/> is its value.</summary>
    public bool PoweredOff => _devices.PoweredOff;

    public int ExitStatus => _devices.ExitStatus;

    /// <summary>Console bytes handed on so far.</summary>
    public long ConsoleOffset => _console.Emitted;

    /// <summary>The router as a value, between traps.</summary>
    public RouterState Capture()
    {
        if (_pending.Count > 0)
        {
            throw new InvalidOperationException($"VM {_vm}: a TLB write still waits for the memory manager; a router is captured between traps");
        }

        return new RouterState([.. _devices.PendingInput], _devices.PoweredOff, _devices.ExitStatus, _console.Emitted, _console.Pending, _recordedEBase);
    }

    /// <summary>Continue as the router <paramref name="state"/> was taken from; the console stream resumes at its offset.</summary>
    public void Restore(RouterState state)
    {
        _devices.Restore(state.PendingInput.AsSpan(), state.PoweredOff, state.ExitStatus);
        _console.Restore(state.ConsoleOffset, state.PendingOutput);
        _recordedEBase = state.RecordedEBase;
    }

    /// <param name="cycle">The simulated cycle of the trap, for the trace (<see cref="TraceRecord.NoCycle"/> if unknown).</param>
    public RouterStep OnTrap(int vcpu, int pcpu, TrapRequest request, long cycle = TraceRecord.NoCycle)
    {
        uint pc = request.Exception.Pc;
        _cycle = cycle;
        if (request.Kind == TrapKind.DeviceAccess)
        {
            var access = request.Device!;
            var done = DeviceEmulation.Perform(_devices, access);
            _trace.Record(_vm, vcpu, pcpu, DecidedAt(cycle, done), pc, new DeviceEmulatedEvent(access.Instruction.IsStore, access.Offset,
                access.Instruction.IsStore ? access.StoreValue : done.GprValue));
            if (done.PoweredOff)
            {
                _console.Flush();
            }

            return new RouterStep(RouterStepKind.Decided, done, ImmutableArray<GuestPageMapping>.Empty);
        }

        if (request.Kind == TrapKind.MonitorCall)
        {
            return OnMonitorCall(vcpu, pcpu, cycle, request);
        }

        return Intercept(vcpu, pcpu, cycle, request, TrapEmulator.Decide(request));
    }

    /// <summary>A decision that writes the guest's TLB waits for the machine pages of the entry the vCPU has not seen.</summary>
    private RouterStep Intercept(int vcpu, int pcpu, long cycle, TrapRequest request, TrapDecision decision)
    {
        uint pc = request.Exception.Pc;
        if (decision.WritesTlb is { } write)
        {
            var known = request.KnownPages.IsDefault ? ImmutableArray<GuestPageMapping>.Empty : request.KnownPages;
            _trace.Record(_vm, vcpu, pcpu, cycle, pc, TlbWriteInterceptedEvent.Of(write.Index, write.Entry));
            var unknown = TlbWriteInterception.PagesToTranslate(write.Entry, known);
            if (unknown.Length > 0)
            {
                long correlation = ++_nextCorrelation;
                _pending[correlation] = new PendingDecision(vcpu, pcpu, cycle, request, decision, known);
                foreach (var ppn in unknown)
                {
                    _trace.Record(_vm, vcpu, pcpu, cycle, pc, new MapRequestEvent(ppn.Value, MapPurpose.TlbWrite));
                }

                return new RouterStep(RouterStepKind.Translate, Correlation: correlation, Pages: unknown);
            }

            // Every page was answered before: the vCPU maps VPN->MPN from its own earlier answers.
            Record(vcpu, pcpu, cycle, request, decision, known);
            return new RouterStep(RouterStepKind.Decided, decision, ImmutableArray<GuestPageMapping>.Empty);
        }

        Record(vcpu, pcpu, cycle, request, decision, default);
        return new RouterStep(RouterStepKind.Decided, decision, ImmutableArray<GuestPageMapping>.Empty);
    }

    /// <summary>
    /// A paravirtual guest's monitor call (docs/HYPERCALLS.md). Console output is printed here;
    /// page operations go to the memory manager first; the refill's TLB write is intercepted
    /// like a TLBWR's.
    /// </summary>
    private RouterStep OnMonitorCall(int vcpu, int pcpu, long cycle, TrapRequest request)
    {
        var call = request.MonitorCall!;
        var cp0 = request.Cp0;
        switch (call.Call)
        {
            case MonitorCall.Console:
            {
                if (call.Console.IsDefault)
                {
                    return Done(vcpu, pcpu, cycle, request, new MonitorCallDone(call.Call, cp0, Failed)); // no special page registered
                }

                foreach (byte b in call.Console)
                {
                    _console.Write(b);
                }

                return Done(vcpu, pcpu, cycle, request, new MonitorCallDone(call.Call, cp0, 0));
            }

            case MonitorCall.Register when (call.A0 & MachinePage.OffsetMask) != 0:
                return Done(vcpu, pcpu, cycle, request, new MonitorCallDone(call.Call, cp0, Failed));
            case MonitorCall.Register:
            {
                var area = Ppn.Of(call.A0);
                return Ask(vcpu, pcpu, cycle, request, new MonitorCallDone(call.Call, cp0, 0, Area: area), PageOperation.Pin, [area, new Ppn(area.Value + 1)]);
            }

            case MonitorCall.ZeroPage:
                return Ask(vcpu, pcpu, cycle, request, new MonitorCallDone(call.Call, cp0, 0), PageOperation.Zero, [Ppn.Of(call.A0)]);
            case MonitorCall.FreePage:
                return Ask(vcpu, pcpu, cycle, request, new MonitorCallDone(call.Call, cp0, 0), PageOperation.Release, [Ppn.Of(call.A0)]);
            default:
            {
                // RefillReturn: the TLBWR and ERET the native refill handler ends with.
                cp0.Write(Cp0Register.EntryLo0, call.K0);
                cp0.Write(Cp0Register.EntryLo1, call.K1);
                int slot = Tlb.RandomSlot(ref cp0, cp0.TlbSize);
                var write = new VirtualTlbWrite(slot, TlbEntry.FromCp0(cp0));
                uint target = cp0.ReturnFromException(out _);
                return Intercept(vcpu, pcpu, cycle, request, new MonitorCallDone(call.Call, cp0, 0, write, target));
            }
        }
    }

    private const uint Failed = uint.MaxValue;

    private RouterStep Done(int vcpu, int pcpu, long cycle, TrapRequest request, MonitorCallDone done)
    {
        Record(vcpu, pcpu, cycle, request, done, default);
        return new RouterStep(RouterStepKind.Decided, done, ImmutableArray<GuestPageMapping>.Empty);
    }

    /// <summary>A monitor call that needs the memory manager first.</summary>
    private RouterStep Ask(int vcpu, int pcpu, long cycle, TrapRequest request, MonitorCallDone done, PageOperation operation, ImmutableArray<Ppn> pages)
    {
        long correlation = ++_nextCorrelation;
        _pending[correlation] = new PendingDecision(vcpu, pcpu, cycle, request, done, ImmutableArray<GuestPageMapping>.Empty);
        return new RouterStep(RouterStepKind.Translate, Correlation: correlation, Pages: pages, Operation: operation);
    }

    /// <summary>The memory manager's answer for an intercepted TLB write: now it can be decided.</summary>
    public RouterStep OnPagesTranslated(long correlation, ImmutableArray<GuestPageMapping> mappings)
    {
        if (!_pending.Remove(correlation, out var pending))
        {
            return RouterStep.None;
        }

        var decision = pending.Decision;
        if (decision is MonitorCallDone { TlbWrite: null } call && mappings.Any(m => !m.IsMemory && m.Kind != GuestPageKind.Unbacked))
        {
            // A page outside the VM (or no machine memory left): the call fails, nothing changes.
            decision = call with { Result = Failed, Area = null };
        }

        Record(pending.Vcpu, pending.Pcpu, pending.Cycle, pending.Request, decision, pending.Known.AddRange(mappings));
        return new RouterStep(RouterStepKind.Decided, decision, mappings, correlation);
    }

    /// <summary>The decision as the trace records it, and the guest's handlers when it installs them.</summary>
    private void Record(int vcpu, int pcpu, long cycle, TrapRequest request, TrapDecision decision, ImmutableArray<GuestPageMapping> pages)
    {
        if (!_trace.Enabled)
        {
            return;
        }

        var e = request.Exception;
        long at = DecidedAt(cycle, decision);
        switch (decision)
        {
            case MonitorCallDone mc:
                _trace.Record(_vm, vcpu, pcpu, at, e.Pc, new MonitorCallEvent(mc.Call, request.MonitorCall!.A0, mc.Result));
                if (mc.TlbWrite is { } tw)
                {
                    _trace.Record(_vm, vcpu, pcpu, at, e.Pc, new ReturnFromTrapEvent(mc.Cp0.Mode, mc.ReturnTarget ?? 0));
                }

                break;
            case Emulated { TlbWrite: { } w } em:
                _trace.Record(_vm, vcpu, pcpu, at, e.Pc, EmulateEvent.TlbWrite(em.Op, w.Index,
                    TlbWriteInterception.MachinePageOf(w.Entry.Half(odd: false), pages),
                    TlbWriteInterception.MachinePageOf(w.Entry.Half(odd: true), pages)));
                break;
            case Emulated em:
            {
                var p = PrivilegedInstruction.Decode(e.Instruction);
                uint value = em.Op == PrivilegedOp.Mtc0 ? request.RtValue : em.GprValue;
                _trace.Record(_vm, vcpu, pcpu, at, e.Pc, EmulateEvent.Cp0Access(em.Op, p.Register, value));
                if (em.Op == PrivilegedOp.Mtc0 && p.Register == Cp0Register.EBase && em.Cp0.EBase != _recordedEBase)
                {
                    _recordedEBase = em.Cp0.EBase;
                    _trace.Record(_vm, vcpu, pcpu, at, e.Pc, HandlersRecordedEvent.Of(em.Cp0.EBase));
                }

                break;
            }

            case Reflected r:
                _trace.Record(_vm, vcpu, pcpu, at, e.Pc, new ReflectEvent(r.Exception.Code, r.Vector, r.Cp0.EPC,
                    r.Exception.InDelaySlot, r.Exception.IsTlbRefill, r.Exception.CoprocessorUnit));
                break;
            case Returned ret:
                _trace.Record(_vm, vcpu, pcpu, at, e.Pc, new ReturnFromTrapEvent(ret.Cp0.Mode, ret.Target));
                break;
            case Idled:
                _trace.Record(_vm, vcpu, pcpu, at, e.Pc, default(IdleEvent));
                break;
        }
    }

    /// <summary>
    /// The simulated cycle at which the vCPU goes on after <paramref name="decision"/>: its trap's
    /// cycle plus what the decision costs (simulated time stands still while the router decides;
    /// the vCPU is charged as it applies the decision).
    /// </summary>
    private long DecidedAt(long cycle, TrapDecision decision) => cycle == TraceRecord.NoCycle ? cycle : cycle + _costs.CyclesOf(decision);

    private sealed record PendingDecision(int Vcpu, int Pcpu, long Cycle, TrapRequest Request, TrapDecision Decision, ImmutableArray<GuestPageMapping> Known);
}
