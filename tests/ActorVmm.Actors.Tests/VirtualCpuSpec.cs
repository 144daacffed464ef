using System.Collections.Immutable;
using ActorVmm.Monitor;
using ActorVmm.Actors.Tests.Support;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using Akka.Actor;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;
using static ActorVmm.Actors.MemoryManagerProtocol;
using static ActorVmm.Actors.TrapRouterProtocol;
using static ActorVmm.Actors.VirtualCpuProtocol;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// The VirtualCpu actor running a hand-assembled kernel, with probes as trap router, memory
/// manager, GuestVm and physical CPU: the test plays the monitor's other actors, so every
/// message the vCPU sends and every reply it applies is checked. The kernel's code page is
/// placed in machine memory by the test (as the memory manager would have) at <see cref="CodeMpn"/>.
/// </summary>
public sealed class VirtualCpuSpec : NodeSpec
{
    private const int VmId = 3;
    private const uint VmBytes = 4u << 20;
    private const int PcpuId = 2;
    private const uint Code = TinyKernel.Entry; // 0xC0001000
    private static readonly VcpuKey Key = new(VmId, 0);
    private static readonly Mpn CodeMpn = new(7);
    private static readonly Ppn DevicePpn = new(DeviceMap.PhysicalBase >> MachinePage.Shift);

    /// <summary>Distinct costs, so that every charge shows in the totals.</summary>
    private static readonly CostModel Costs = new()
    {
        GuestInstruction = 1,
        TrapEntryExit = 10,
        Reflection = 20,
        Mfc0 = 3,
        Mtc0 = 4,
        Tlbp = 5,
        Tlbr = 6,
        TlbWrite = 7,
        Eret = 8,
        Wait = 9,
        InterruptEnable = 11,
        Cache = 12,
        TlbWriteInterception = 13,
        L2TlbRefill = 14,
        MpnAllocation = 100,
        MachineSwitch = 200,
        TlbFlush = 30,
        DeviceEmulation = 15,
    };

    private readonly TestProbe _router;
    private readonly TestProbe _memory;
    private readonly TestProbe _guestVm;
    private readonly TestProbe _pcpu;

    public VirtualCpuSpec(ITestOutputHelper output)
        : base(1u << 20, output)
    {
        _router = CreateTestProbe("router");
        _memory = CreateTestProbe("memory");
        _guestVm = CreateTestProbe("guest-vm");
        _pcpu = CreateTestProbe("pcpu");
    }

    [Fact]
    public void A_dispatch_refills_the_wired_ksseg_window_from_the_memory_manager_then_traps_to_the_router()
    {
        var vcpu = Boot([Mfc0(T0, Cp0.Status)]);
        Dispatch(vcpu, 10_000);

        var translate = _memory.ExpectMsg<TranslatePages>();
        Assert.Equal(VmId, translate.Vm);
        Assert.Equal<Ppn>([TinyKernel.CodePpn], translate.Pages);
        _router.ExpectNoMsg(TimeSpan.Zero);
        _memory.Reply(new PagesTranslated(VmId, translate.Correlation, [new GuestPageMapping(TinyKernel.CodePpn, GuestPageKind.Memory, CodeMpn, true)]));

        var trap = _router.ExpectMsg<Trap>();
        Assert.Equal((Key, PcpuId), (trap.Vcpu, trap.Pcpu));
        var r = trap.Request;
        Assert.Equal(TrapKind.Exception, r.Kind);
        Assert.Equal((ExcCode.CpU, Code, Mfc0(T0, Cp0.Status), (byte)0, false), (r.Exception.Code, r.Exception.Pc, r.Exception.Instruction, r.Exception.CoprocessorUnit, r.Exception.InDelaySlot));

        // The boot contract's virtual state: kernel mode with BEV, Count 0, the wired entries, a0/a1.
        Assert.Equal(StatusBits.BEV, r.Cp0.Status);
        Assert.Equal(PrivilegeMode.Kernel, r.Cp0.Mode);
        Assert.Equal((0u, 2u), (r.Cp0.Count, r.Cp0.Wired));
        _pcpu.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Replies_are_applied_and_execution_continues_through_emulation_device_access_reflection_and_wait()
    {
        var code = new uint[0x41];
        code[0] = Mfc0(T0, Cp0.Status);
        code[1] = Mtc0(T0, Cp0.EPC);
        code[2] = Lui(T1, 0xDF00);
        code[3] = Lw(T2, 0x100, T1);    // SYS_MEMSIZE through the wired device mapping
        code[4] = Mtc0(T2, Cp0.EPC);
        code[5] = Syscall();
        code[0x40] = Wait;              // at 0xC0001100, where the test reflects the syscall
        var vcpu = Boot(code);
        Dispatch(vcpu, 100_000);
        ServeCodePage(fresh: true);

        var mfc0 = ExpectTrap(TrapKind.Exception, Code);
        Reply(new Emulated(PrivilegedOp.Mfc0, mfc0.Cp0, T0, 0xABCD1234, null));

        // The next instruction traps with t0 = the value the router decided on.
        var mtc0 = ExpectTrap(TrapKind.Exception, Code + 4);
        Assert.Equal((Mtc0(T0, Cp0.EPC), 0xABCD1234u, 1u), (mtc0.Exception.Instruction, mtc0.RtValue, mtc0.Cp0.Count));
        Reply(new Emulated(PrivilegedOp.Mtc0, mtc0.Cp0 with { EPC = mtc0.RtValue }, 0, 0, null));

        var device = _memory.ExpectMsg<TranslatePages>();
        Assert.Equal<Ppn>([DevicePpn], device.Pages);
        _memory.Reply(new PagesTranslated(VmId, device.Correlation, [new GuestPageMapping(DevicePpn, GuestPageKind.Device, default)]));

        var load = ExpectTrap(TrapKind.DeviceAccess, Code + 12);
        Assert.Equal(DeviceMap.SysMemSize, load.Device!.Offset);
        Assert.Equal((false, 4, T2), (load.Device.Instruction.IsStore, load.Device.Instruction.Size, load.Device.Instruction.Rt));
        Assert.Equal(0xABCD1234u, load.Cp0.EPC);
        Reply(new DeviceDone(T2, VmBytes, false, 0));

        var mtc0Again = ExpectTrap(TrapKind.Exception, Code + 16);
        Assert.Equal(VmBytes, mtc0Again.RtValue);
        Reply(new Emulated(PrivilegedOp.Mtc0, mtc0Again.Cp0, 0, 0, null));

        var syscall = ExpectTrap(TrapKind.Exception, Code + 20);
        Assert.Equal(ExcCode.Sys, syscall.Exception.Code);
        var reflectedCp0 = syscall.Cp0 with { Status = syscall.Cp0.Status | StatusBits.EXL, EPC = Code + 20 };
        Reply(new Reflected(syscall.Exception, reflectedCp0, Code + 0x100));

        var wait = ExpectTrap(TrapKind.Exception, Code + 0x100);
        Assert.Equal(Wait, wait.Exception.Instruction);
        Assert.Equal(5u, wait.Cp0.Count); // mfc0, mtc0, lui, lw, mtc0 retired; the syscall did not
        Reply(new Idled(wait.Cp0 with { Status = wait.Cp0.Status | StatusBits.IM7, Compare = 1000 }));

        // 6 instructions; 6 trap entries/exits (10), mfc0 3, mtc0 2 x 4, device 15, reflection 20,
        // wait 9, one L2 refill 14, one page allocation 100.
        const long cycles = 6 + 60 + 3 + 8 + 15 + 20 + 9 + 14 + 100;
        var yielded = _pcpu.ExpectMsg<Yielded>();
        Assert.Equal(new Yielded(Key, YieldReason.Idle, cycles, 1000 - 6, Instructions: 6), yielded);

        var stats = Statistics(vcpu);
        Assert.Equal((6L, 6L, 0L, cycles, 994L, 1L), (stats.GuestInstructions, stats.KernelInstructions, stats.UserInstructions, stats.ConsumedCycles, stats.IdleCycles, stats.L2TlbHits));
        Assert.Equal(
            new Dictionary<string, long> { ["mfc0"] = 1, ["mtc0"] = 2, ["device access"] = 1, ["syscall"] = 1, ["wait"] = 1 },
            stats.Traps.OrderBy(kv => kv.Key).ToDictionary());
        Assert.Equal(6, stats.Ledger.EventsOf(Mechanism.TrapEntryExit));
        Assert.Equal(3 + 8 + 9, stats.Ledger.CyclesOf(Mechanism.PrivilegedEmulation));
        Assert.Equal((1L, 20L), (stats.Ledger.EventsOf(Mechanism.Reflection), stats.Ledger.CyclesOf(Mechanism.Reflection)));
        Assert.Equal(cycles - 6, stats.Ledger.Total);
    }

    [Fact]
    public void A_budget_that_runs_out_yields_quantum_end_having_used_at_least_the_budget()
    {
        var vcpu = Boot([B(-1), Nop]); // loop: b loop
        Dispatch(vcpu, 5000);
        ServeCodePage(fresh: false);

        var yielded = _pcpu.ExpectMsg<Yielded>();
        Assert.Equal((Key, YieldReason.QuantumEnd, 0L), (yielded.Vcpu, yielded.Reason, yielded.IdleCycles));
        Assert.True(yielded.CyclesUsed >= 5000, $"used {yielded.CyclesUsed}");
        var stats = Statistics(vcpu);
        Assert.Equal(stats.ConsumedCycles, yielded.CyclesUsed);
        Assert.Equal(yielded.CyclesUsed - 14, stats.GuestInstructions); // the rest is the one L2 refill
        Assert.Equal(stats.GuestInstructions, yielded.Instructions);
        _router.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_machine_switch_charges_the_switch_and_flushes_the_machine_tlb_which_the_l2_tlb_refills()
    {
        var vcpu = Boot([B(-1), Nop]);
        Dispatch(vcpu, 1000);
        ServeCodePage(fresh: false);
        long first = _pcpu.ExpectMsg<Yielded>().CyclesUsed;

        Dispatch(vcpu, 1000, machineSwitch: true);

        var yielded = _pcpu.ExpectMsg<Yielded>();
        Assert.Equal(YieldReason.QuantumEnd, yielded.Reason);
        Assert.True(yielded.CyclesUsed >= 1000);
        _memory.ExpectNoMsg(TimeSpan.Zero); // the page was known: served from the L2 TLB
        var stats = Statistics(vcpu);
        Assert.Equal(2, stats.L2TlbHits);
        Assert.Equal((1L, 200L), (stats.Ledger.EventsOf(Mechanism.MachineSwitch), stats.Ledger.CyclesOf(Mechanism.MachineSwitch)));
        Assert.Equal((1L, 30L), (stats.Ledger.EventsOf(Mechanism.TlbFlush), stats.Ledger.CyclesOf(Mechanism.TlbFlush)));
        Assert.Equal(first + yielded.CyclesUsed, stats.ConsumedCycles);
        Assert.Equal(yielded.CyclesUsed - 14 - 200 - 30, yielded.Instructions);
        Assert.Equal(stats.ConsumedCycles - (2 * 14) - 200 - 30, stats.GuestInstructions);
    }

    [Fact]
    public void Idled_with_the_timer_enabled_yields_idle_for_the_cycles_until_Compare_and_the_interrupt_comes_next()
    {
        var vcpu = Boot([Wait, Nop]);
        Dispatch(vcpu, 10_000);
        ServeCodePage(fresh: false);
        var wait = ExpectTrap(TrapKind.Exception, Code);
        Assert.Equal(0u, wait.Cp0.Count);
        Reply(new Idled(wait.Cp0 with { Status = StatusBits.IM7 | StatusBits.IE, Compare = 50 }));

        var yielded = _pcpu.ExpectMsg<Yielded>();
        Assert.Equal(new Yielded(Key, YieldReason.Idle, 1 + 14 + 10 + 9, 49, Instructions: 1), yielded);

        // Guest time jumped to Compare: the timer interrupt is delivered at the next dispatch,
        // at the instruction after WAIT.
        Dispatch(vcpu, 10_000);
        var interrupt = ExpectTrap(TrapKind.Interrupt, Code + 4);
        Assert.Equal(50u, interrupt.Cp0.Count);
        Assert.Equal(CauseBits.TI | CauseBits.IP7, interrupt.Cp0.Cause & (CauseBits.TI | CauseBits.IP7));
        Assert.Equal(49, Statistics(vcpu).IdleCycles);
    }

    [Fact]
    public void Idled_with_the_timer_masked_is_a_hang_reported_to_the_guest_vm()
    {
        var vcpu = Boot([Wait]);
        Dispatch(vcpu, 10_000);
        ServeCodePage(fresh: false);
        var wait = ExpectTrap(TrapKind.Exception, Code);
        Reply(new Idled(wait.Cp0 with { Status = StatusBits.IE }));

        var crashed = _guestVm.ExpectMsg<GuestVmProtocol.Crashed>();
        Assert.Equal((VmId, MachineOutcomeKind.Hung), (crashed.Vm, crashed.Kind));
        Assert.Contains("WAIT at pc 0xC0001000", crashed.Diagnostic);
        Assert.Equal(YieldReason.Halted, _pcpu.ExpectMsg<Yielded>().Reason);
    }

    [Fact]
    public void After_power_off_the_vcpu_yields_halted_and_answers_every_later_dispatch_at_once()
    {
        var vcpu = Boot([.. Li(T0, 7), Lui(T1, 0xDF00), Sw(T0, 0x108, T1), B(-1), Nop]);
        Dispatch(vcpu, 10_000);
        ServeCodePage(fresh: false);
        var device = _memory.ExpectMsg<TranslatePages>();
        _memory.Reply(new PagesTranslated(VmId, device.Correlation, [new GuestPageMapping(DevicePpn, GuestPageKind.Device, default)]));
        var store = ExpectTrap(TrapKind.DeviceAccess, Code + 12);
        Assert.Equal((DeviceMap.SysPowerOff, true, 7u), (store.Device!.Offset, store.Device.Instruction.IsStore, store.Device.StoreValue));

        Reply(new DeviceDone(0, 0, true, 7));

        var halted = _pcpu.ExpectMsg<Yielded>();
        Assert.Equal((YieldReason.Halted, 4 + 14 + 10 + 15L, 4L), (halted.Reason, halted.CyclesUsed, halted.Instructions));

        Dispatch(vcpu, 10_000);
        Assert.Equal(new Yielded(Key, YieldReason.Halted, 0, 0, 0), _pcpu.ExpectMsg<Yielded>());
        Dispatch(vcpu, 10_000, machineSwitch: true);
        Assert.Equal(new Yielded(Key, YieldReason.Halted, 0, 0, 0), _pcpu.ExpectMsg<Yielded>());
        _router.ExpectNoMsg(TimeSpan.Zero);
        _memory.ExpectNoMsg(TimeSpan.Zero);
        _guestVm.ExpectNoMsg(TimeSpan.Zero); // power-off is the router's news, not the vCPU's
        Assert.Equal(4, Statistics(vcpu).GuestInstructions);
    }

    [Fact]
    public void An_intercepted_tlb_write_uses_the_routers_mappings_and_a_refused_page_becomes_a_bus_error()
    {
        var vcpu = Boot([Tlbwr, Lui(T3, 0x0040), Lw(T0, 0, T3), Mtc0(T0, Cp0.EPC), Lw(T0, 0x1000, T3)]);
        var dataMpn = new Mpn(20);
        MachineMemory.WriteUInt32(dataMpn.Address, 0x5EED1234);
        Dispatch(vcpu, 10_000);
        ServeCodePage(fresh: false);

        var tlbwr = ExpectTrap(TrapKind.Exception, Code);
        var entry = new TlbEntry(0x00400000, 0, EntryLoBits.Make(0x100, 3, true, true, true), EntryLoBits.Make(0x500, 3, true, true, true));
        ImmutableArray<GuestPageMapping> mappings =
            [new GuestPageMapping(new Ppn(0x100), GuestPageKind.Memory, dataMpn), new GuestPageMapping(new Ppn(0x500), GuestPageKind.OutsideVm, default)];
        Reply(new Emulated(PrivilegedOp.Tlbwr, tlbwr.Cp0, 0, 0, new VirtualTlbWrite(40, entry)), mappings);

        // The load through the new entry reads the machine page the router named.
        var mtc0 = ExpectTrap(TrapKind.Exception, Code + 12);
        Assert.Equal(0x5EED1234u, mtc0.RtValue);
        Reply(new Emulated(PrivilegedOp.Mtc0, mtc0.Cp0, 0, 0, null));

        // The odd page was refused by the memory manager: never mapped, a data bus error.
        var refused = ExpectTrap(TrapKind.Exception, Code + 16);
        Assert.Equal((ExcCode.Dbe, 0x00401000u), (refused.Exception.Code, refused.Exception.BadVAddr));
        _memory.ExpectNoMsg(TimeSpan.Zero);
        Assert.Equal((1L, 13L), (Statistics(vcpu).Ledger.EventsOf(Mechanism.TlbWriteInterception), Statistics(vcpu).Ledger.CyclesOf(Mechanism.TlbWriteInterception)));
    }

    [Fact]
    public void A_machine_page_allocated_for_a_tlb_write_is_charged_like_one_allocated_for_an_l2_refill()
    {
        var vcpu = Boot([Tlbwr, Lui(T3, 0x0040), Lw(T0, 0, T3), Wait]);
        Dispatch(vcpu, 10_000);
        ServeCodePage(fresh: true); // one allocation

        var tlbwr = ExpectTrap(TrapKind.Exception, Code);
        var entry = new TlbEntry(0x00400000, 0, EntryLoBits.Make(0x100, 3, true, true, true), EntryLoBits.G);
        Reply(new Emulated(PrivilegedOp.Tlbwr, tlbwr.Cp0, 0, 0, new VirtualTlbWrite(40, entry)),
            [new GuestPageMapping(new Ppn(0x100), GuestPageKind.Memory, new Mpn(21), Fresh: true)]); // and another
        ExpectTrap(TrapKind.Exception, Code + 12);

        var ledger = Statistics(vcpu).Ledger;
        Assert.Equal((2L, 200L), (ledger.EventsOf(Mechanism.MpnAllocation), ledger.CyclesOf(Mechanism.MpnAllocation)));
    }

    [Fact]
    public void No_machine_page_for_the_kernel_crashes_the_vm_with_a_diagnostic()
    {
        var vcpu = Boot([Nop]);
        Dispatch(vcpu, 10_000);
        var translate = _memory.ExpectMsg<TranslatePages>();
        _memory.Reply(new PagesTranslated(VmId, translate.Correlation, [new GuestPageMapping(TinyKernel.CodePpn, GuestPageKind.MachineMemoryExhausted, default)]));

        var crashed = _guestVm.ExpectMsg<GuestVmProtocol.Crashed>();
        Assert.Equal(MachineOutcomeKind.Crashed, crashed.Kind);
        Assert.StartsWith("machine memory is exhausted: no machine page for guest PPN 0x1 (pc 0xC0001000", crashed.Diagnostic);
        Assert.Equal(YieldReason.Halted, _pcpu.ExpectMsg<Yielded>().Reason);
    }

    [Fact]
    public void The_instruction_limit_stops_the_vm_at_exactly_that_many_instructions_as_the_bare_board_does()
    {
        var vcpu = Boot([B(-1), Nop], maxInstructions: 100);
        Dispatch(vcpu, 10_000);
        ServeCodePage(fresh: false);

        var yielded = _pcpu.ExpectMsg<Yielded>();
        Assert.Equal(100, Statistics(vcpu).GuestInstructions);
        Assert.Equal(YieldReason.Halted, yielded.Reason);
        Assert.Equal(100, yielded.Instructions);
        var crashed = _guestVm.ExpectMsg<GuestVmProtocol.Crashed>();
        Assert.Equal(MachineOutcomeKind.InstructionLimit, crashed.Kind);
        Assert.StartsWith("stopped at its limit of 100 instructions (pc 0xC000100", crashed.Diagnostic);
        Assert.EndsWith(", 100 instructions)", crashed.Diagnostic);

        // A halted vCPU stays halted.
        Dispatch(vcpu, 10_000);
        Assert.Equal(new Yielded(Key, YieldReason.Halted, 0, 0, 0), _pcpu.ExpectMsg<Yielded>());
    }

    [Fact]
    public void A_store_to_a_page_it_shares_asks_the_memory_manager_for_a_copy_and_lands_in_the_copy()
    {
        uint[] code = [Lui(T1, 0xC000), Ori(T0, Zero, 0x77), Sw(T0, 0x1800, T1), Lui(T2, 0xDF00), Sw(Zero, 0x108, T2)];
        var copy = new Mpn(9);
        TinyKernel.Place(MachineMemory, copy, 0, code); // what the memory manager's copy holds
        var vcpu = Boot(code);
        Dispatch(vcpu, 10_000);

        // The code page is shared copy-on-write: mapped read-only, so the store faults.
        var translate = _memory.ExpectMsg<TranslatePages>(t => t.Operation == PageOperation.Translate);
        _memory.Reply(new PagesTranslated(VmId, translate.Correlation, [new GuestPageMapping(TinyKernel.CodePpn, GuestPageKind.Memory, CodeMpn, Shared: true)]));
        var cow = _memory.ExpectMsg<TranslatePages>();
        Assert.Equal((PageOperation.CopyOnWrite, TinyKernel.CodePpn), (cow.Operation, cow.Pages.Single()));
        _memory.Reply(new PagesTranslated(VmId, cow.Correlation, [new GuestPageMapping(TinyKernel.CodePpn, GuestPageKind.Memory, copy, Copied: true)]));
        var device = _memory.ExpectMsg<TranslatePages>();
        _memory.Reply(new PagesTranslated(VmId, device.Correlation, [new GuestPageMapping(DevicePpn, GuestPageKind.Device, default)]));

        ExpectTrap(TrapKind.DeviceAccess, Code + 16);
        Assert.Equal(0x77u, MachineMemory.ReadUInt32(copy.Address + 0x800));
        Assert.Equal(0u, MachineMemory.ReadUInt32(CodeMpn.Address + 0x800)); // the shared page is untouched
        Assert.Equal(Costs.CopyOnWrite, Statistics(vcpu).Ledger.CyclesOf(Mechanism.CopyOnWrite));
    }

    [Fact]
    public void Pages_the_content_scan_moved_are_taken_in_and_acknowledged()
    {
        var vcpu = Boot([Lui(T2, 0xDF00), Sw(Zero, 0x108, T2)]);

        vcpu.Tell(new RemapPages([new GuestPageMapping(new Ppn(0x40), GuestPageKind.Memory, new Mpn(0x20), Shared: true)]));

        Assert.Equal(new PagesRemapped(Key), ExpectMsg<PagesRemapped>());
    }

    private IActorRef Boot(uint[] code, long maxInstructions = 0)
    {
        TinyKernel.Place(MachineMemory, CodeMpn, 0, code);
        var plan = TinyKernel.Plan(VmBytes, code);
        return Sys.ActorOf(Props.Create(() => new VirtualCpu(Key, VmBytes, maxInstructions, plan, null, 0, Costs, 64, _router.Ref, _memory.Ref, _guestVm.Ref)), "vcpu");
    }

    private void Dispatch(IActorRef vcpu, long budget, bool machineSwitch = false) =>
        vcpu.Tell(new Dispatch(PcpuId, budget, machineSwitch), _pcpu.Ref);

    /// <summary>The memory manager's part in the first fetch: PPN 1 (the code) is at <see cref="CodeMpn"/>.</summary>
    private void ServeCodePage(bool fresh)
    {
        var translate = _memory.ExpectMsg<TranslatePages>(t => t.Pages.SequenceEqual([TinyKernel.CodePpn]) && t.Vm == VmId);
        _memory.Reply(new PagesTranslated(VmId, translate.Correlation, [new GuestPageMapping(TinyKernel.CodePpn, GuestPageKind.Memory, CodeMpn, fresh)]));
    }

    private TrapRequest ExpectTrap(TrapKind kind, uint pc)
    {
        var trap = _router.ExpectMsg<Trap>();
        Assert.Equal((Key, PcpuId), (trap.Vcpu, trap.Pcpu));
        Assert.Equal((kind, pc), (trap.Request.Kind, trap.Request.Exception.Pc));
        return trap.Request;
    }

    private void Reply(TrapDecision decision, ImmutableArray<GuestPageMapping>? mappings = null) =>
        _router.Reply(new Decided(decision, mappings ?? []));

    private VcpuStatistics Statistics(IActorRef vcpu)
    {
        vcpu.Tell(new GetStatistics());
        var stats = ExpectMsg<VcpuStatistics>();
        Assert.Equal(Key, stats.Vcpu);
        return stats;
    }
}
