using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;

namespace ActorVmm.Cpu.Virtualization;

/// <summary>
/// One guest CPU under the monitor, without actors: a host-delivery core whose machine TLB
/// holds VPN→MPN entries, the guest's virtual CP0 and virtual TLB, and Disco's second-level
/// TLB (the virtual TLB plus what the memory manager said about each page). It serves
/// machine-TLB misses for mappings the guest already wrote without entering the guest, keeps
/// the virtual timer exact to the instruction, and stops for everything else so that the
/// monitor decides. Guest-visible time is the guest's instruction count only.
/// </summary>
public sealed class VirtualizedCpu
{
    // Reflections with no instruction retired in between before the VM is declared stuck:
    // its own exception vector faults, so it can never make progress.
    private const int ExceptionLoopLimit = 64;

    private readonly TlbEntry[] _virtualTlb;
    private readonly GuestPageCache _pages;
    private readonly CostModel _costs;
    private uint _countOffset;
    private uint _stoppedCount;
    private int _nextMachineSlot;

    // Machine TLB slot of each 4 KB-pair entry, by VPN2 and ASID (or global): the vCPU is the
    // machine TLB's only writer under the monitor, so the index is exact and a TLB write
    // need not scan all the entries.
    private readonly Dictionary<ulong, int> _machineSlots = new();
    private long _retiredAtLastReflection = -1;
    private int _reflectionsWithoutProgress;
    private string? _stuck;
    private bool _resumePending;
    private uint _resumeTarget;

    /// <summary>The guest's view of CP0. Count is kept separately; read it through <see cref="SnapshotVirtual"/>.</summary>
    public Cp0State Virtual;

    public VirtualizedCpu(MemoryBlock machineMemory, uint vmMemoryBytes, CostModel costs, int tlbSize = 64, uint cpuNum = 0)
    {
        _costs = costs;
        Machine = new Mips32Core(machineMemory, DeliveryMode.Host, AddressingMode.Mips32, devices: null, tlbSize);
        Virtual = Cp0State.Reset(tlbSize, cpuNum);
        _virtualTlb = new TlbEntry[tlbSize];
        for (int i = 0; i < tlbSize; i++)
        {
            _virtualTlb[i] = TlbEntry.Unused(i);
        }

        _pages = new GuestPageCache(vmMemoryBytes >> MachinePage.Shift);
        SyncMachineMode(force: true);
    }

    /// <summary>The physical processor's view: registers, PC, and the machine TLB (VPN→MPN).</summary>
    public Mips32Core Machine { get; }

    public CycleLedger Ledger { get; } = new();

    /// <summary>Guest instructions and monitor cycles per kernel service (Disco's Table 2).</summary>
    public ServiceProfile Profile { get; } = new();

    public ReadOnlySpan<TlbEntry> VirtualTlb => _virtualTlb;

    /// <summary>Guest instructions retired: identical to the same kernel's count on the bare board.</summary>
    public long GuestInstructions => Machine.Retired;

    /// <summary>Simulated cycles this vCPU has used: its instructions plus the monitor's work for it.</summary>
    public long ConsumedCycles => (Machine.Retired * _costs.GuestInstruction) + Ledger.MonitorCycles;

    public long IdleCycles { get; private set; }

    public long L2TlbHits { get; private set; }

    /// <summary>Returns to user mode under a new ASID, counted as the bare core counts them.</summary>
    public long ContextSwitches => _contextSwitches.Count;

    private readonly ContextSwitchCounter _contextSwitches = new();

    /// <summary>The guest's Count: its retired instructions plus its WAIT time, frozen while Cause.DC is set.</summary>
    public uint VirtualCount => Virtual.CountStopped ? _stoppedCount : (uint)Machine.Retired + _countOffset;

    /// <summary>Called when a machine-TLB miss is served from the L2 TLB: (virtual address, machine page).</summary>
    public Action<uint, Mpn>? OnL2Refill { get; set; }

    /// <summary>Called when the instruction an emulated ERET returned to has retired (the retried access hit).</summary>
    public Action<uint>? OnResumed { get; set; }

    /// <summary>Start the guest in the boot contract's state: the plan's wired entries go in the virtual TLB.</summary>
    public void Boot(BootPlan plan)
    {
        for (int i = 0; i < plan.WiredEntries.Count; i++)
        {
            _virtualTlb[i] = plan.WiredEntries[i];
        }

        Virtual.Write(Cp0Register.Wired, (uint)plan.WiredEntries.Count);
        Machine.Gpr.Clear();
        Machine.SetGpr(4, plan.A0);
        Machine.SetGpr(5, plan.A1);
        Machine.Jump(plan.Entry);
    }

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
        long cpi = Math.Max(1, _costs.GuestInstruction);
        while (true)
        {
            if (_stuck is not null)
            {
                return new VcpuStop(VcpuStopKind.Halted, Diagnostic: _stuck);
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
            long chunk = Math.Min(cpi == 1 ? cyclesLeft : (cyclesLeft + cpi - 1) / cpi, instructionsLeft);
            if (!Virtual.CountStopped)
            {
                uint distance = Virtual.Compare - VirtualCount;
                chunk = Math.Min(chunk, distance == 0 ? 1L << 32 : distance);
            }

            bool counting = !Virtual.CountStopped;
            var result = Machine.Run(chunk);
            if (result.Retired > 0)
            {
                if (_resumePending)
                {
                    // This run began at the ERET's target and retired it: the retried access hit.
                    _resumePending = false;
                    OnResumed?.Invoke(_resumeTarget);
                }

                AfterRetire(counting);
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

    /// <summary>Apply the monitor's decision. <paramref name="mappings"/> are the memory manager's answers for a TLB write.</summary>
    public void Apply(TrapDecision decision, IReadOnlyList<GuestPageMapping>? mappings = null)
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
                if (e.GprIndex != 0)
                {
                    Machine.SetGpr(e.GprIndex, e.GprValue);
                }

                if (e.TlbWrite is { } write)
                {
                    Ledger.Charge(Mechanism.TlbWriteInterception, _costs.TlbWriteInterception);
                    bool counted = RetireThenSetVirtual(e.Cp0);
                    WriteVirtualTlb(write, mappings);
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
                NoteReflection(r);
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
                AfterRetire(eretCounted);
                break;
            case Idled idle:
                Ledger.Charge(Mechanism.PrivilegedEmulation, _costs.Wait);
                AfterRetire(RetireThenSetVirtual(idle.Cp0));
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

    /// <summary>
    /// After an emulated WAIT: idle until the next interrupt. Count jumps to Compare (guest
    /// time passes, as on the bare board); returns the cycles to idle, or -1 if nothing can
    /// ever wake the CPU (the timer interrupt is masked).
    /// </summary>
    public long Idle()
    {
        if ((Virtual.Cause & Virtual.Status & CauseBits.IPMask) != 0)
        {
            return 0;
        }

        if ((Virtual.Status & StatusBits.IM7) == 0 || Virtual.CountStopped)
        {
            return -1;
        }

        uint distance = Virtual.Compare - VirtualCount;
        long idle = distance == 0 ? 1L << 32 : distance;
        _countOffset += (uint)idle;
        Virtual.RaiseTimerInterrupt();
        IdleCycles += idle;
        return idle;
    }

    /// <summary>The memory manager's answer for a page this vCPU asked about.</summary>
    public void AddPage(GuestPageMapping mapping)
    {
        _pages.Add(mapping);
        if (mapping.Fresh)
        {
            Ledger.Charge(Mechanism.MpnAllocation, _costs.MpnAllocation);
        }
    }

    /// <summary>Disco's machine switch: the physical CPU last ran another VM, so its TLB is flushed.</summary>
    public void FlushMachineTlb()
    {
        Machine.FlushTlb();
        _machineSlots.Clear();
        Ledger.Charge(Mechanism.TlbFlush, _costs.TlbFlush);
    }

    public void ChargeMachineSwitch() => Ledger.Charge(Mechanism.MachineSwitch, _costs.MachineSwitch);

    /// <summary>Whether the guest was already at exception level when the exception being reflected happened.</summary>
    private bool WasExl() => (Virtual.Status & StatusBits.EXL) != 0;

    private VcpuStop? Classify(in GuestException e) => e.Code switch
    {
        ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod => MachineTlbFault(e),
        _ => TrapStop(TrapKind.Exception, e),
    };

    /// <summary>
    /// A machine-TLB miss. The guest sees a TLB exception only if its own TLB would have
    /// raised one; otherwise the L2 TLB (virtual TLB + page cache) refills the machine TLB.
    /// </summary>
    private VcpuStop? MachineTlbFault(in GuestException e)
    {
        uint va = e.BadVAddr;
        bool store = e.Code != ExcCode.TlbL;
        bool fetch = !store && e.Instruction == 0; // a fetch fault has no instruction word
        int index = VirtualLookup(va);
        if (index < 0)
        {
            return TrapStop(TrapKind.GuestTlb, e with { Code = store ? ExcCode.TlbS : ExcCode.TlbL, IsTlbRefill = true });
        }

        var entry = _virtualTlb[index];
        uint lo = entry.EntryLoFor(va);
        if ((lo & EntryLoBits.V) == 0)
        {
            return TrapStop(TrapKind.GuestTlb, e with { Code = store ? ExcCode.TlbS : ExcCode.TlbL, IsTlbRefill = false });
        }

        if (store && (lo & EntryLoBits.D) == 0)
        {
            return TrapStop(TrapKind.GuestTlb, e with { Code = ExcCode.Mod, IsTlbRefill = false });
        }

        ulong pa = entry.PhysicalAddress(va, lo);
        var ppn = Ppn.Of(pa);
        if (!_pages.TryGet(ppn, out var page))
        {
            return new VcpuStop(VcpuStopKind.NeedPage, Page: ppn);
        }

        switch (page.Kind)
        {
            case GuestPageKind.Memory:
                InstallMachinePage(va, page.Mpn, (lo & EntryLoBits.D) != 0, entry.Global, entry.Asid);
                L2TlbHits++;
                Ledger.Charge(Mechanism.L2TlbRefill, _costs.L2TlbRefill);
                OnL2Refill?.Invoke(va, page.Mpn);
                return null;
            case GuestPageKind.Device when !fetch && LoadStoreInstruction.TryDecode(e.Instruction, out var access):
                return TrapStop(TrapKind.DeviceAccess, e,
                    new DeviceAccess((uint)(pa & MachinePage.OffsetMask), access, Machine.GetGpr(access.Rt)));
            default:
                // Outside the VM (refused by the memory manager), or not a plain access to the
                // device page: a bus error, as the bare board gives for a missing device.
                return TrapStop(TrapKind.Exception, new GuestException(fetch ? ExcCode.Ibe : ExcCode.Dbe, e.Pc, e.InDelaySlot, va, e.Instruction));
        }
    }

    private VcpuStop TrapStop(TrapKind kind, GuestException e, DeviceAccess? device = null)
    {
        uint insn = e.Instruction;
        bool cop0 = kind == TrapKind.Exception && (insn >> 26) == 0x10 && (insn & (1u << 25)) != 0;
        bool readsTlb = cop0 && (insn & 63) is 0x01 or 0x08;
        bool writesTlb = cop0 && (insn & 63) is 0x02 or 0x06;
        var request = new TrapRequest(
            kind,
            e,
            SnapshotVirtual(),
            Machine.GetGpr((int)((insn >> 16) & 31)),
            readsTlb ? ImmutableArray.Create(_virtualTlb) : ImmutableArray<TlbEntry>.Empty,
            device,
            writesTlb ? KnownPagesOf(TlbEntry.FromCp0(Virtual)) : ImmutableArray<GuestPageMapping>.Empty);
        return new VcpuStop(VcpuStopKind.Trap, request);
    }

    /// <summary>What this vCPU already knows about the guest-physical pages a TLB write would map.</summary>
    private ImmutableArray<GuestPageMapping> KnownPagesOf(in TlbEntry entry)
    {
        if (entry.PageMask != 0)
        {
            return ImmutableArray<GuestPageMapping>.Empty; // large pages are translated page by page on use
        }

        bool even = Known(entry, entry.VirtualBase, entry.EntryLo0, out var evenPage);
        bool odd = Known(entry, entry.VirtualBase + MachinePage.Size, entry.EntryLo1, out var oddPage);
        return (even, odd) switch
        {
            (true, true) => [evenPage, oddPage],
            (true, false) => [evenPage],
            (false, true) => [oddPage],
            _ => ImmutableArray<GuestPageMapping>.Empty,
        };
    }

    private bool Known(in TlbEntry entry, uint va, uint lo, out GuestPageMapping mapping)
    {
        mapping = default;
        return (lo & EntryLoBits.V) != 0 && _pages.TryGet(Ppn.Of(entry.PhysicalAddress(va, lo)), out mapping);
    }

    private int VirtualLookup(uint va)
    {
        uint asid = Virtual.Asid;
        for (int i = 0; i < _virtualTlb.Length; i++)
        {
            if (_virtualTlb[i].Matches(va, asid))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>After instructions retired; <paramref name="counted"/>: Count ran for them (DC was clear).</summary>
    private void AfterRetire(bool counted)
    {
        if (counted && VirtualCount == Virtual.Compare)
        {
            Virtual.RaiseTimerInterrupt();
        }
    }

    private void NoteReflection(Reflected r)
    {
        if (Machine.Retired == _retiredAtLastReflection)
        {
            if (++_reflectionsWithoutProgress >= ExceptionLoopLimit)
            {
                _stuck = $"the guest's exception vector 0x{r.Vector:X8} keeps faulting without progress; last: {r.Exception}";
            }
        }
        else
        {
            _reflectionsWithoutProgress = 0;
            _retiredAtLastReflection = Machine.Retired;
        }
    }

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

        _countOffset = Virtual.Count - (uint)Machine.Retired;
        _stoppedCount = Virtual.Count;
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

    private void WriteVirtualTlb(VirtualTlbWrite write, IReadOnlyList<GuestPageMapping>? mappings)
    {
        var old = _virtualTlb[write.Index];
        _virtualTlb[write.Index] = write.Entry;
        InvalidateMachineEntries(old);
        if (mappings is not null)
        {
            foreach (var m in mappings)
            {
                AddPage(m);
            }
        }

        // As Disco did, the translated entry goes straight into the machine TLB so that the
        // guest's retried access hits.
        var e = write.Entry;
        if (e.PageMask == 0)
        {
            InstallIfBacked(e, e.VirtualBase, e.EntryLo0);
            InstallIfBacked(e, e.VirtualBase + MachinePage.Size, e.EntryLo1);
        }
    }

    private void InstallIfBacked(in TlbEntry entry, uint va, uint lo)
    {
        if ((lo & EntryLoBits.V) != 0
            && _pages.TryGet(Ppn.Of(entry.PhysicalAddress(va, lo)), out var page)
            && page.Kind == GuestPageKind.Memory)
        {
            InstallMachinePage(va, page.Mpn, (lo & EntryLoBits.D) != 0, entry.Global, entry.Asid);
        }
    }

    /// <summary>Machine entries derived from a guest entry the guest has just overwritten must go.</summary>
    private void InvalidateMachineEntries(in TlbEntry old)
    {
        if (old.PageMask == 0 && !old.Global)
        {
            // The usual case, a process's 4 KB pair: at most its own and a global machine entry.
            RemoveMachineEntry(MachineKey(old.VirtualBase, global: false, old.Asid));
            RemoveMachineEntry(MachineKey(old.VirtualBase, global: true, 0));
            return;
        }

        ulong oldStart = old.VirtualBase;
        ulong oldEnd = oldStart + (2UL * old.PageSize);
        var machine = Machine.Tlb;
        for (int i = 0; i < machine.Size; i++)
        {
            var m = machine[i];
            ulong start = m.VirtualBase;
            ulong end = start + (2UL * m.PageSize);
            if (start < oldEnd && oldStart < end && (old.Global || m.Global || m.Asid == old.Asid))
            {
                WriteMachine(i, TlbEntry.Unused(i));
            }
        }
    }

    private void RemoveMachineEntry(ulong key)
    {
        if (_machineSlots.TryGetValue(key, out int slot))
        {
            WriteMachine(slot, TlbEntry.Unused(slot));
        }
    }

    private static ulong MachineKey(uint va, bool global, uint asid) =>
        ((ulong)(va & EntryHiBits.Vpn2Mask) << 9) | (global ? 0x100u : asid);

    private static bool IsUnused(in TlbEntry entry) => (entry.EntryLo0 | entry.EntryLo1) == 0 && entry.VirtualBase >= 0x80000000;

    /// <summary>Every machine TLB write goes through here, so that the index stays exact.</summary>
    private void WriteMachine(int slot, TlbEntry entry)
    {
        var old = Machine.Tlb[slot];
        if (!IsUnused(old))
        {
            ulong oldKey = MachineKey(old.VirtualBase, old.Global, old.Asid);
            if (_machineSlots.TryGetValue(oldKey, out int indexed) && indexed == slot)
            {
                _machineSlots.Remove(oldKey);
            }
        }

        Machine.WriteTlb(slot, entry);
        if (!IsUnused(entry))
        {
            _machineSlots[MachineKey(entry.VirtualBase, entry.Global, entry.Asid)] = slot;
        }
    }

    private void InstallMachinePage(uint va, Mpn mpn, bool dirty, bool global, uint asid)
    {
        bool odd = (va & MachinePage.Size) != 0;
        uint lo = EntryLoBits.Make(mpn.Value, EntryLoBits.CacheCacheable, dirty, valid: true, global);
        if (_machineSlots.TryGetValue(MachineKey(va, global, asid), out int existing))
        {
            var m = Machine.Tlb[existing];
            WriteMachine(existing, odd ? m with { EntryLo1 = lo } : m with { EntryLo0 = lo });
            return;
        }

        uint empty = global ? EntryLoBits.G : 0;
        int slot = _nextMachineSlot;
        _nextMachineSlot = (slot + 1) % Machine.Tlb.Size;
        uint vpn2 = va & EntryHiBits.Vpn2Mask;
        WriteMachine(slot, new TlbEntry(vpn2 | (global ? 0 : asid), 0, odd ? empty : lo, odd ? lo : empty));
    }
}
