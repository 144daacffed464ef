using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>
/// One guest CPU under the monitor, without actors: a host-delivery core (the physical
/// processor's view: registers, PC, the machine TLB of VPN→MPN entries), the guest's virtual
/// CP0, its <see cref="VirtualTlb"/>, the <see cref="L2Tlb"/> that serves machine-TLB misses
/// for mappings the guest already wrote, and the <see cref="VirtualTimer"/>. It runs the guest
/// until the monitor must act and applies the monitor's decisions.
/// </summary>
public sealed class VirtualizedCpu
{
    private readonly VirtualTlb _virtualTlb;
    private readonly MachineTlbShadow _machineTlb;
    private readonly L2Tlb _l2;
    private readonly VirtualTimer _timer = new();
    private readonly ExceptionLoopDetector _loop = new();
    private readonly ContextSwitchCounter _contextSwitches = new();
    private readonly CostModel _costs;
    private readonly long _cpi;
    private bool _resumePending;
    private uint _resumeTarget;
    private readonly MemoryBlock _machineMemory;

    /// <summary>The guest's view of CP0. Count is kept by the timer; read it through <see cref="SnapshotVirtual"/>.</summary>
    public Cp0State Virtual;

    /// <param name="l2Mode">What the L2 TLB may serve (<c>monitor.l2-tlb</c>).</param>
    /// <param name="l2Entries">With <see cref="L2TlbMode.Disco"/>: the evicted guest entries it keeps.</param>
    public VirtualizedCpu(MemoryBlock machineMemory, uint vmMemoryBytes, CostModel costs, int tlbSize = 64, uint cpuNum = 0,
        L2TlbMode l2Mode = L2TlbMode.Exact, int l2Entries = L2TlbDefaults.Entries)
    {
        _costs = costs;
        _cpi = Math.Max(1, costs.GuestInstruction);
        _machineMemory = machineMemory;
        Machine = new Mips32Core(machineMemory, DeliveryMode.Host, AddressingMode.Mips32, devices: null, tlbSize);
        Virtual = Cp0State.Reset(tlbSize, cpuNum);
        _virtualTlb = new VirtualTlb(tlbSize);
        _machineTlb = new MachineTlbShadow(Machine);
        Dirty = new DirtyPageTracker(vmMemoryBytes >> MachinePage.Shift);
        _l2 = new L2Tlb(_virtualTlb, new GuestPageCache(vmMemoryBytes >> MachinePage.Shift), _machineTlb, Dirty,
            l2Mode == L2TlbMode.Disco ? new L2TlbHistory(l2Entries) : null);
        SyncMachineMode(force: true);
    }

    /// <summary>The physical processor's view: registers, PC, and the machine TLB (VPN→MPN).</summary>
    public Mips32Core Machine { get; }

    public CycleLedger Ledger { get; } = new();

    /// <summary>Guest instructions and monitor cycles per kernel service (Disco's Table 2).</summary>
    public ServiceProfile Profile { get; } = new();

    public VirtualTlb VirtualTlb => _virtualTlb;

    /// <summary>The guest pages written since the VM's last checkpoint.</summary>
    public DirtyPageTracker Dirty { get; }

    /// <summary>Guest instructions retired: identical to the same kernel's count on the bare board.</summary>
    public long GuestInstructions => Machine.Retired;

    /// <summary>Simulated cycles this vCPU has used: its instructions plus the monitor's work for it.</summary>
    public long ConsumedCycles => (Machine.Retired * _costs.GuestInstruction) + Ledger.MonitorCycles;

    public long IdleCycles => _timer.IdleCycles;

    public long L2TlbHits => _l2.Hits;

    /// <summary>Guest refills the monitor did from the L2 TLB's history, and the guest instructions they stood for.</summary>
    public L2RefillCounters L2Refills { get; } = new();

    public L2TlbMode L2Mode => _l2.Mode;

    /// <summary>A paravirtual guest's special page, once it registered one (docs/HYPERCALLS.md); null for an unmodified guest.</summary>
    public SpecialPage? Paravirtual { get; private set; }

    /// <summary>Returns to user mode under a new ASID, counted as the bare core counts them.</summary>
    public long ContextSwitches => _contextSwitches.Count;

    /// <summary>The guest's Count: its retired instructions plus its WAIT time, frozen while Cause.DC is set.</summary>
    public uint VirtualCount => _timer.Count(Virtual, Machine.Retired);

    /// <summary>Called when a machine-TLB miss is served from the L2 TLB: (virtual address, machine page).</summary>
    public Action<uint, Mpn>? OnL2Refill { get; set; }

    /// <summary>Called when the monitor did a guest refill from the L2 TLB's history: (virtual address, machine page, guest TLB slot).</summary>
    public Action<uint, Mpn, int>? OnL2GuestRefill { get; set; }

    /// <summary>Called when the instruction an emulated ERET returned to has retired (the retried access hit).</summary>
    public Action<uint>? OnResumed { get; set; }

    /// <summary>
    /// This vCPU as a value (<see cref="VcpuState"/>), taken between two dispatches. The trap
    /// tally is the caller's (<see cref="VcpuLoop"/> keeps it).
    /// </summary>
    public VcpuState Capture(ImmutableArray<TrapCount> traps) => new(
        Machine.CaptureState(),
        Virtual,
        [.. _virtualTlb.Entries.Entries],
        _timer.Capture(),
        _loop.Capture(),
        _resumePending,
        _resumeTarget,
        _l2.Hits,
        Ledger.Snapshot(),
        Profile.Capture(),
        _contextSwitches.Count,
        _contextSwitches.LastUserAsid,
        traps,
        [.. _l2.Pages.NonMemoryFacts()],
        Dirty.Capture())
    {
        SpecialArea = Paravirtual?.Area,
    };

    /// <summary>
    /// After <see cref="Restore"/> of a paravirtual guest's state: its special page and console
    /// buffer, pinned in this machine memory (<paramref name="registers"/> and <paramref name="console"/>).
    /// The page holds what the guest last stored, already taken in when the state was captured
    /// (the guest stopped), so it is adopted as published, not written over.
    /// </summary>
    public void RestoreSpecialPage(GuestPageMapping registers, GuestPageMapping console)
    {
        AddPage(registers);
        AddPage(console);
        Paravirtual = new SpecialPage(_machineMemory, registers.Ppn, registers.Mpn, console.Mpn);
        Paravirtual.Adopt();
    }

    /// <summary>
    /// Become the vCPU <paramref name="state"/> was taken from, on a fresh vCPU. The machine TLB
    /// starts empty and machine pages are asked of this node's memory manager as the guest
    /// touches them, as after a machine switch.
    /// </summary>
    public void Restore(VcpuState state)
    {
        if (state.VirtualTlb.Length != _virtualTlb.Size)
        {
            throw new ArgumentException($"the state holds a {state.VirtualTlb.Length}-entry TLB, this vCPU has {_virtualTlb.Size}", nameof(state));
        }

        Machine.RestoreState(state.Core);
        Virtual = state.Virtual;
        for (int i = 0; i < state.VirtualTlb.Length; i++)
        {
            _virtualTlb.Write(i, state.VirtualTlb[i]);
        }

        _timer.Restore(state.Timer);
        _loop.Restore(state.Loop);
        _resumePending = state.ResumePending;
        _resumeTarget = state.ResumeTarget;
        _l2.Hits = state.L2TlbHits;
        Ledger.Restore(state.Ledger);
        Profile.Restore(state.Services);
        _contextSwitches.Restore(state.ContextSwitches, state.LastUserAsid);
        foreach (var fact in state.PageFacts)
        {
            _l2.Pages.Add(fact);
        }

        Dirty.Restore(state.Dirty);

        _machineTlb.Flush();
        SyncMachineMode(force: true);
        Machine.WriteCp0(Cp0Register.EntryHi, Virtual.Asid);
    }

    /// <summary>
    /// A checkpoint is taken between two dispatches: the pages written since the last one, in
    /// PPN order. From now on every page is clean again: D is cleared in the machine TLB, so
    /// the next store to each page is noted.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<Ppn> TakeDirtyPages()
    {
        var pages = Dirty.Take();
        _machineTlb.RevokeWrites();
        return pages;
    }

    /// <summary>Start the guest in the boot contract's state: the plan's wired entries go in the virtual TLB.</summary>
    public void Boot(BootPlan plan) => plan.ApplyTo(Machine, _virtualTlb.Entries, ref Virtual);

    /// <summary>The virtual CP0 with Count current: what a trap request carries.</summary>
    public Cp0State SnapshotVirtual()
    {
        var cp0 = Virtual;
        cp0.Count = VirtualCount;
        return cp0;
    }

    /// <summary>
    /// Run the guest until its cycle counter reaches <paramref name="cycleLimit"/>, it has retired
    /// <paramref name="instructionLimit"/> instructions in all, or the monitor must act.
    /// </summary>
    public VcpuStop Run(long cycleLimit, long instructionLimit = long.MaxValue)
    {
        while (true)
        {
            if (_loop.Stuck is { } stuck)
            {
                return new VcpuStop(VcpuStopKind.Halted, Diagnostic: stuck);
            }

            if (Virtual.InterruptDeliverable)
            {
                return TrapStop(TrapKind.Interrupt, new GuestException(ExcCode.Int, Machine.Pc, Machine.InDelaySlot, 0, 0));
            }

            long cyclesLeft = cycleLimit - ConsumedCycles;
            long instructionsLeft = instructionLimit - Machine.Retired;
            if (cyclesLeft <= 0 || instructionsLeft <= 0)
            {
                return VcpuStop.BudgetExhausted;
            }

            // Stop exactly where the virtual Count reaches Compare, as the bare board does.
            // One cycle per instruction is the default; the 64-bit division shows once per trap.
            long chunk = Math.Min(_cpi == 1 ? cyclesLeft : (cyclesLeft + _cpi - 1) / _cpi, instructionsLeft);
            chunk = Math.Min(chunk, _timer.InstructionsToCompare(Virtual, Machine.Retired));

            bool counting = !Virtual.CountStopped;
            var result = Machine.Run(chunk);
            if (Paravirtual is { } special)
            {
                TakeInSpecialPage(special);
            }

            if (result.Retired > 0)
            {
                if (_resumePending)
                {
                    // This run began at the ERET's target and retired it: the retried access hit.
                    _resumePending = false;
                    OnResumed?.Invoke(_resumeTarget);
                }

                _timer.AfterRetire(ref Virtual, Machine.Retired, counting);
            }

            if (result.Kind == ExitKind.BudgetExhausted)
            {
                continue;
            }

            if (result.Kind != ExitKind.Exception)
            {
                throw new InvalidOperationException($"a host-delivery core stopped with {result.Kind}");
            }

            if (Classify(Machine.LastException) is { } stop)
            {
                return stop;
            }
        }
    }

    /// <summary>Apply the monitor's decision. <paramref name="mappings"/>: the memory manager's new answers for a TLB write.</summary>
    public void Apply(TrapDecision decision, ImmutableArray<GuestPageMapping> mappings = default)
    {
        ApplyDecision(decision, mappings);
        if (Paravirtual is { } special)
        {
            Ledger.Charge(Mechanism.SpecialPage, _costs.SpecialPageSync);
            special.Publish(Virtual);
        }
    }

    private void ApplyDecision(TrapDecision decision, ImmutableArray<GuestPageMapping> mappings)
    {
        if (decision is Reflected entering)
        {
            Profile.Enter(ServiceProfile.Classify(entering.Exception, WasExl()), Machine.Retired, Ledger.MonitorCycles, Machine.GetGpr(2));
        }

        Ledger.Charge(Mechanism.TrapEntryExit, _costs.TrapEntryExit);
        switch (decision)
        {
            case Emulated e:
                Ledger.Charge(Mechanism.PrivilegedEmulation, _costs.EmulationOf(e.Op));
                if (e.Op == PrivilegedOp.Tlbp)
                {
                    // The guest probes before it changes a PTE its TLB may cache: a kept copy may go stale.
                    _l2.History?.Forget(Virtual.EntryHi);
                }

                if (e.GprIndex != 0)
                {
                    Machine.SetGpr(e.GprIndex, e.GprValue);
                }

                if (e.TlbWrite is { } write)
                {
                    Ledger.Charge(Mechanism.TlbWriteInterception, _costs.TlbWriteInterception);
                    bool counted = RetireThenSetVirtual(e.Cp0);
                    if (!mappings.IsDefault)
                    {
                        foreach (var m in mappings)
                        {
                            AddPage(m);
                        }
                    }

                    _l2.Write(write);
                    AfterRetire(counted);
                }
                else
                {
                    AfterRetire(RetireThenSetVirtual(e.Cp0));
                }

                break;
            case Reflected r:
                Ledger.Charge(Mechanism.Reflection, _costs.Reflection);
                _resumePending = false; // the return target faulted (or was interrupted) before it retired
                SetVirtual(r.Cp0);
                Machine.Jump(r.Vector);
                _loop.Reflected(Machine.Retired, r.Vector, r.Exception);
                if (_l2.History is { } history)
                {
                    if (r.Exception.IsTlbRefill && r.Vector == r.Cp0.VectorBase)
                    {
                        history.GuestRefillStarted(Machine.Retired, r.Exception.BadVAddr, r.Cp0.Asid);
                    }
                    else
                    {
                        history.GuestRefillInterrupted();
                    }
                }

                break;
            case Returned ret:
                Ledger.Charge(Mechanism.PrivilegedEmulation, _costs.Eret);
                Machine.LLBit = false;
                bool eretCounted = !Virtual.CountStopped;
                Machine.RetireAndJump(ret.Target);
                SetVirtual(ret.Cp0, eretCounted);
                _resumePending = true;
                _resumeTarget = ret.Target;
                Profile.Exit(Machine.Retired, Ledger.MonitorCycles);
                _contextSwitches.Returned(Virtual);
                _l2.History?.GuestReturned(Machine.Retired, _virtualTlb);
                AfterRetire(eretCounted);
                break;
            case Idled idle:
                Ledger.Charge(Mechanism.PrivilegedEmulation, _costs.Wait);
                AfterRetire(RetireThenSetVirtual(idle.Cp0));
                break;
            case MonitorCallDone call:
                ApplyMonitorCall(call, mappings);
                break;
            case DeviceDone d:
                Ledger.Charge(Mechanism.DeviceEmulation, _costs.DeviceEmulation);
                if (d.GprIndex != 0)
                {
                    Machine.SetGpr(d.GprIndex, d.GprValue);
                }

                bool deviceCounted = !Virtual.CountStopped;
                Machine.CompleteInstruction();
                AfterRetire(deviceCounted);
                break;
            default:
                throw new ArgumentException($"unknown decision {decision.GetType().Name}", nameof(decision));
        }
    }

    /// <summary>After an emulated WAIT: idle until the next interrupt (<see cref="VirtualTimer.Idle"/>).</summary>
    public long Idle() => _timer.Idle(ref Virtual, Machine.Retired);

    /// <summary>The memory manager's answer for a page this vCPU asked about (or that changed under it).</summary>
    public void AddPage(GuestPageMapping mapping)
    {
        _l2.Remap(mapping);
        if (mapping.Fresh)
        {
            Ledger.Charge(Mechanism.MpnAllocation, _costs.MpnAllocation);
        }

        if (mapping.Copied)
        {
            Ledger.Charge(Mechanism.CopyOnWrite, _costs.CopyOnWrite);
        }
    }

    /// <summary>
    /// A monitor call done (docs/HYPERCALLS.md): the SYSCALL retires with the result in v0, or,
    /// for a RefillReturn, the TLB write is made and the ERET performed as for the native pair.
    /// </summary>
    private void ApplyMonitorCall(MonitorCallDone call, ImmutableArray<GuestPageMapping> mappings)
    {
        Ledger.Charge(Mechanism.MonitorCall, _costs.MonitorCallOf(call.Call));
        if (!mappings.IsDefault)
        {
            foreach (var m in mappings)
            {
                AddPage(m);
            }
        }

        if (call.Area is { } area && _l2.Pages.TryGet(area, out var registers) && _l2.Pages.TryGet(new Ppn(area.Value + 1), out var console))
        {
            Paravirtual = new SpecialPage(_machineMemory, area, registers.Mpn, console.Mpn);
        }

        if (call.TlbWrite is { } write)
        {
            Ledger.Charge(Mechanism.TlbWriteInterception, _costs.TlbWriteInterception);
            _l2.Write(write);
        }

        if (call.ReturnTarget is { } target)
        {
            Machine.LLBit = false;
            bool counted = !Virtual.CountStopped;
            Machine.RetireAndJump(target);
            SetVirtual(call.Cp0, counted);
            _resumePending = true;
            _resumeTarget = target;
            Profile.Exit(Machine.Retired, Ledger.MonitorCycles);
            _contextSwitches.Returned(Virtual);
            _l2.History?.GuestReturned(Machine.Retired, _virtualTlb);
            AfterRetire(counted);
            return;
        }

        Machine.SetGpr(2, call.Result);
        AfterRetire(RetireThenSetVirtual(call.Cp0));
    }

    /// <summary>What the guest stored into its special page since the monitor last wrote it, into the virtual CP0.</summary>
    private void TakeInSpecialPage(SpecialPage special)
    {
        var oldMode = Virtual.Mode;
        uint oldAsid = Virtual.Asid;
        if (special.Absorb(ref Virtual) == Cp0WriteEffect.None)
        {
            return;
        }

        if (oldMode != Virtual.Mode)
        {
            SyncMachineMode(force: false);
        }

        if (oldAsid != Virtual.Asid)
        {
            Machine.WriteCp0(Cp0Register.EntryHi, Virtual.Asid);
        }
    }

    /// <summary>The VM moved to another node with <paramref name="pages"/> guest pages.</summary>
    public void ChargeMigration(int pages) => Ledger.Charge(Mechanism.Migration, _costs.Migration + (pages * _costs.MigrationPerPage));

    /// <summary>The physical CPU last ran another vCPU: Disco's machine switch.</summary>
    public void SwitchIn() => MachineSwitch.SwitchIn(_machineTlb, Ledger, _costs);

    /// <summary>Whether the guest was already at exception level when the exception being reflected happened.</summary>
    private bool WasExl() => (Virtual.Status & StatusBits.EXL) != 0;

    private VcpuStop? Classify(in GuestException e) => e.Code switch
    {
        ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod => MachineTlbFault(e),
        ExcCode.Sys when Virtual.Mode == PrivilegeMode.Kernel && ParavirtualAbi.TryDecode(e.Instruction, out _) => TrapStop(TrapKind.MonitorCall, e),
        _ => TrapStop(TrapKind.Exception, e),
    };

    /// <summary>A machine-TLB miss: the L2 TLB serves it, or says what the guest or the monitor must do.</summary>
    private VcpuStop? MachineTlbFault(in GuestException e)
    {
        var result = _l2.Serve(e, Virtual.Asid);
        bool fetch = e.Code == ExcCode.TlbL && e.Instruction == 0; // a fetch fault has no instruction word
        switch (result.Outcome)
        {
            case L2Outcome.Refilled:
                Ledger.Charge(Mechanism.L2TlbRefill, _costs.L2TlbRefill);
                OnL2Refill?.Invoke(e.BadVAddr, result.Mpn);
                return null;
            case L2Outcome.GuestTlbException:
                return TrapStop(TrapKind.GuestTlb, result.GuestException);
            case L2Outcome.HistoryHit when RefillForTheGuest(result):
                return null;
            case L2Outcome.HistoryHit:
                return TrapStop(TrapKind.GuestTlb, result.GuestException);
            case L2Outcome.NeedPage:
                return new VcpuStop(VcpuStopKind.NeedPage, Page: result.Page);
            case L2Outcome.CopyOnWrite:
                return new VcpuStop(VcpuStopKind.NeedPage, Page: result.Page, Operation: PageOperation.CopyOnWrite);
            case L2Outcome.Device when !fetch && LoadStoreInstruction.TryDecode(e.Instruction, out var access):
                return TrapStop(TrapKind.DeviceAccess, e, new DeviceAccess(result.DeviceOffset, access, Machine.GetGpr(access.Rt)));
            default:
                // Outside the VM (refused by the memory manager), or not a plain access to the
                // device page: a bus error, as the bare board gives for a missing device.
                return TrapStop(TrapKind.Exception, new GuestException(fetch ? ExcCode.Ibe : ExcCode.Dbe, e.Pc, e.InDelaySlot, e.BadVAddr, e.Instruction));
        }
    }

    /// <summary>
    /// Disco's L2 TLB: do the guest's TLB refill for it, with the entry it wrote last time, as
    /// its handler would have done it: the refill exception's state in the virtual CP0
    /// (EPC, Cause, BadVAddr, Context, EntryHi), EntryLo0/1, TLBWR at Random, and the ERET
    /// back; the guest's Count advances by the length of its own handler. Only where the guest
    /// would take the refill vector, and once that length is known; otherwise the guest does it.
    /// </summary>
    private bool RefillForTheGuest(in L2Result hit)
    {
        var history = _l2.History!;
        long length = history.GuestRefillLength;
        if (length <= 0 || (Virtual.Status & (StatusBits.EXL | StatusBits.ERL | StatusBits.BEV)) != 0)
        {
            return false;
        }

        var cp0 = SnapshotVirtual();
        uint vector = cp0.EnterException(hit.GuestException, out _);
        cp0.Write(Cp0Register.EntryLo0, hit.Kept.EntryLo0);
        cp0.Write(Cp0Register.EntryLo1, hit.Kept.EntryLo1);
        var entry = TlbEntry.FromCp0(cp0);
        if (vector != cp0.VectorBase || entry != hit.Kept)
        {
            return false; // not the entry the guest's own TLBWR would write now (another PageMask)
        }

        int slot = Tlb.RandomSlot(ref cp0, cp0.TlbSize);
        _l2.Write(new VirtualTlbWrite(slot, entry));
        uint target = cp0.ReturnFromException(out _);
        SetVirtual(cp0);
        Machine.LLBit = false;
        Machine.Jump(target);
        _timer.Advance(ref Virtual, Machine.Retired, (uint)length);
        _contextSwitches.Returned(Virtual);
        Ledger.Charge(Mechanism.L2TlbRefill, _costs.L2TlbRefill);
        L2Refills.Count(length);
        Paravirtual?.Publish(Virtual);
        OnL2GuestRefill?.Invoke(hit.GuestException.BadVAddr, hit.Mpn, slot);
        return true;
    }

    private VcpuStop TrapStop(TrapKind kind, GuestException e, DeviceAccess? device = null)
    {
        uint insn = e.Instruction;
        var privileged = kind == TrapKind.Exception && e.Code == ExcCode.CpU && e.CoprocessorUnit == 0
            ? PrivilegedInstruction.Decode(insn)
            : default;
        var known = privileged.WritesTlb ? _l2.KnownPagesOf(TlbEntry.FromCp0(Virtual)) : ImmutableArray<GuestPageMapping>.Empty;
        MonitorCallRequest? call = null;
        if (kind == TrapKind.MonitorCall)
        {
            ParavirtualAbi.TryDecode(insn, out var which);
            uint k0 = Machine.GetGpr(26), k1 = Machine.GetGpr(27);
            call = new MonitorCallRequest(which, Machine.GetGpr(4), k0, k1,
                which == MonitorCall.Console && Paravirtual is { } special ? special.Console(Machine.GetGpr(4)) : default);
            if (which == MonitorCall.RefillReturn)
            {
                var refill = Virtual;
                refill.Write(Cp0Register.EntryLo0, k0);
                refill.Write(Cp0Register.EntryLo1, k1);
                known = _l2.KnownPagesOf(TlbEntry.FromCp0(refill));
            }
        }

        var request = new TrapRequest(
            kind,
            e,
            SnapshotVirtual(),
            Machine.GetGpr((int)((insn >> 16) & 31)),
            privileged.ReadsTlb ? _virtualTlb.Snapshot() : ImmutableArray<TlbEntry>.Empty,
            device,
            known,
            call);
        return new VcpuStop(VcpuStopKind.Trap, request);
    }

    private void AfterRetire(bool counted) => _timer.AfterRetire(ref Virtual, Machine.Retired, counted);

    /// <summary>
    /// The emulated instruction retires in the mode it was executed in (as on the bare
    /// board, where an ERET counts as a kernel instruction), and only then does the virtual
    /// CP0 change; retiring advanced Count by one.
    /// </summary>
    private bool RetireThenSetVirtual(in Cp0State cp0)
    {
        bool counted = !Virtual.CountStopped;
        Machine.CompleteInstruction();
        SetVirtual(cp0, counted);
        return counted;
    }

    /// <summary>Install the decided virtual CP0; <paramref name="retiredCounted"/>: Count also ticks for the emulated instruction.</summary>
    private void SetVirtual(in Cp0State cp0, bool retiredCounted = false)
    {
        // Only two facts of the old state matter: copying all of CP0 twice per trap shows in a profile.
        var oldMode = Virtual.Mode;
        uint oldAsid = Virtual.Asid;
        Virtual = cp0;
        if (retiredCounted)
        {
            Virtual.Count++;
        }

        _timer.Set(Virtual, Machine.Retired);
        if (oldMode != Virtual.Mode)
        {
            SyncMachineMode(force: false);
        }

        if (oldAsid != Virtual.Asid)
        {
            Machine.WriteCp0(Cp0Register.EntryHi, Virtual.Asid);
        }
    }

    /// <summary>The guest's kernel mode runs in supervisor mode on the machine; its user mode in user mode.</summary>
    private void SyncMachineMode(bool force)
    {
        var mode = Virtual.Mode == PrivilegeMode.User ? PrivilegeMode.User : PrivilegeMode.Supervisor;
        if (force || Machine.Mode != mode)
        {
            Machine.WriteCp0(Cp0Register.Status, (uint)mode << StatusBits.KsuShift);
        }
    }
}
