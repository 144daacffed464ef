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
using static ActorVmm.Actors.TrapRouterProtocol;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// The TrapRouter actor, fed hand-built trap requests: privileged-instruction emulation on
/// the virtual CP0, exception reflection to the guest's vectors, ERET, WAIT, the TLB-write
/// interception through the memory manager, and the device page.
/// </summary>
public sealed class TrapRouterSpec : NodeSpec
{
    private const int Vm = 4;
    private const uint VmBytes = 4u << 20;
    private const uint KernelPc = 0xC0002040;
    private const uint UserPc = 0x00400120;
    private const uint GuestEBase = 0xC0001800; // vectors at 0xC0001000, as the guest kernel sets it
    private const uint VectorBase = 0xC0001000;
    private static readonly VcpuKey Key = new(Vm, 0);

    private readonly TestProbe _memory;
    private readonly TestProbe _guestVm;
    private readonly IActorRef _router;

    public TrapRouterSpec(ITestOutputHelper output)
        : base(1u << 20, output)
    {
        _memory = CreateTestProbe("memory");
        _guestVm = CreateTestProbe("guest-vm");
        _router = Sys.ActorOf(Props.Create(() => new TrapRouter(Vm, VmBytes, _memory.Ref, _guestVm.Ref)), "router");
    }

    // ---- MFC0 / MTC0 ------------------------------------------------------------------

    [Theory]
    [InlineData(Cp0Register.Status, 0x1000FF13u)]
    [InlineData(Cp0Register.EPC, 0x00400abcu)]
    [InlineData(Cp0Register.Count, 123456u)]
    [InlineData(Cp0Register.BadVAddr, 0xDEADBEE0u)]
    public void Mfc0_returns_the_virtual_register(int register, uint value)
    {
        var cp0 = KernelCp0();
        cp0.Status = register == Cp0Register.Status ? value : cp0.Status;
        cp0.EPC = register == Cp0Register.EPC ? value : 0x1234;
        cp0.Count = register == Cp0Register.Count ? value : 99;
        cp0.BadVAddr = register == Cp0Register.BadVAddr ? value : 0;

        var emulated = Emulated(Decide(Privileged(Mfc0(T3, register >> 3, register & 7), cp0)), PrivilegedOp.Mfc0);

        Assert.Equal((T3, value), (emulated.GprIndex, emulated.GprValue));
        Assert.Equal(cp0, emulated.Cp0); // reading changes nothing
    }

    [Fact]
    public void Mfc0_of_PRId_and_Config1_give_the_24Kc_without_FPU_and_the_TLB_size()
    {
        var cp0 = KernelCp0();
        Assert.Equal(0x00019300u, Emulated(Decide(Privileged(Mfc0(T0, Cp0.PRId), cp0)), PrivilegedOp.Mfc0).GprValue);

        uint config1 = Emulated(Decide(Privileged(Mfc0(T0, Cp0.Config1), cp0)), PrivilegedOp.Mfc0).GprValue;
        Assert.Equal(63u, (config1 >> 25) & 0x3F); // MMUSize - 1
        Assert.Equal(0u, config1 & 1);             // FP = 0
    }

    [Fact]
    public void Mtc0_Status_cannot_set_CU1_on_a_cpu_without_FPU()
    {
        var cp0 = KernelCp0();
        uint value = StatusBits.CU1 | StatusBits.CU0 | StatusBits.IM7 | StatusBits.IE;

        var emulated = Emulated(Decide(Privileged(Mtc0(T1, Cp0.Status), cp0, rt: value)), PrivilegedOp.Mtc0);

        Assert.Equal(StatusBits.CU0 | StatusBits.IM7 | StatusBits.IE, emulated.Cp0.Status);
        Assert.Equal(0, emulated.GprIndex);
    }

    [Fact]
    public void Mtc0_Compare_sets_Compare_and_clears_the_pending_timer_interrupt()
    {
        var cp0 = KernelCp0();
        cp0.Cause = CauseBits.TI | CauseBits.IP7 | (1u << 10) | CauseBits.IV; // timer pending, plus IP2 and IV
        cp0.Count = 4000;

        var emulated = Emulated(Decide(Privileged(Mtc0(T1, Cp0.Compare), cp0, rt: 54000)), PrivilegedOp.Mtc0);

        Assert.Equal(54000u, emulated.Cp0.Compare);
        Assert.Equal((1u << 10) | CauseBits.IV, emulated.Cp0.Cause);
        Assert.Equal(4000u, emulated.Cp0.Count);
    }

    [Theory]
    [InlineData(0x80000000u, 0xC0001000u, 0x80001000u)] // no write gate: bits 31:30 stay 10
    [InlineData(0x80000000u, 0xC0001800u, 0xC0001800u)] // WG = 1: bits 31:30 are written
    [InlineData(0xC0001800u, 0x00002800u, 0x00002800u)] // WG = 1 again: may even clear them
    [InlineData(0xC0001800u, 0x00002000u, 0xC0002000u)] // WG = 0: bits 31:30 stay (WG itself is cleared)
    [InlineData(0x80000000u, 0x80001FFFu, 0x80001800u)] // CPUNum (9:0) is read-only
    public void Mtc0_EBase_honours_the_write_gate(uint before, uint written, uint after)
    {
        var cp0 = KernelCp0();
        cp0.EBase = before;

        var emulated = Emulated(Decide(Privileged(Mtc0(T2, Cp0.EBase), cp0, rt: written)), PrivilegedOp.Mtc0);

        Assert.Equal(after, emulated.Cp0.EBase);
    }

    [Fact]
    public void Mtc0_Wired_resets_Random_to_the_top_and_Random_itself_is_read_only()
    {
        var cp0 = KernelCp0();
        cp0.Random = 20;

        var wired = Emulated(Decide(Privileged(Mtc0(T0, Cp0.Wired), cp0, rt: 5)), PrivilegedOp.Mtc0).Cp0;
        Assert.Equal((5u, 63u), (wired.Wired, wired.Random));

        var random = Emulated(Decide(Privileged(Mtc0(T0, Cp0.Random), cp0, rt: 7)), PrivilegedOp.Mtc0).Cp0;
        Assert.Equal(20u, random.Random);
    }

    [Fact]
    public void Di_and_Ei_return_the_old_Status_and_change_only_IE()
    {
        var cp0 = KernelCp0();
        cp0.Status = StatusBits.IM7 | StatusBits.IE;

        var di = Emulated(Decide(Privileged(Di(T4), cp0)), PrivilegedOp.Di);
        Assert.Equal((T4, StatusBits.IM7 | StatusBits.IE, StatusBits.IM7), (di.GprIndex, di.GprValue, di.Cp0.Status));

        var ei = Emulated(Decide(Privileged(Ei(T5), di.Cp0)), PrivilegedOp.Ei);
        Assert.Equal((T5, StatusBits.IM7, StatusBits.IM7 | StatusBits.IE), (ei.GprIndex, ei.GprValue, ei.Cp0.Status));
    }

    [Fact]
    public void Cache_is_emulated_as_a_no_op()
    {
        var cp0 = KernelCp0();
        var emulated = Emulated(Decide(Privileged(Asm.Cache(0x14, 0, T0), cp0)), PrivilegedOp.Cache);
        Assert.Equal(cp0, emulated.Cp0);
        Assert.Null(emulated.TlbWrite);
    }

    [Theory]
    [InlineData("CO=1 function 3", 0x42000003u)]
    [InlineData("CO=1 function 0x10", 0x42000010u)]
    [InlineData("dmfc0 (rs=1, not MIPS32)", 0x40284800u)]
    public void A_cop0_instruction_with_an_unassigned_function_is_reflected_as_reserved_instruction(string what, uint insn)
    {
        Assert.NotEmpty(what);
        var cp0 = KernelCp0();
        var reflected = Reflected(Decide(Privileged(insn, cp0)));

        Assert.Equal(ExcCode.RI, reflected.Exception.Code);
        Assert.Equal(VectorBase + 0x180, reflected.Vector);
        Assert.Equal(KernelPc, reflected.Cp0.EPC);
        Assert.Equal((uint)ExcCode.RI, ExcCodeOf(reflected.Cp0));
        Assert.Equal(0u, reflected.Cp0.Cause & CauseBits.CEMask);
    }

    // ---- reflection ----------------------------------------------------------------------

    [Fact]
    public void A_user_syscall_is_reflected_to_the_general_vector_in_virtual_kernel_mode()
    {
        var cp0 = UserCp0();
        var request = new TrapRequest(TrapKind.Exception, new GuestException(ExcCode.Sys, UserPc, false, 0, Syscall()), cp0, 0, []);

        var reflected = Reflected(Decide(request));

        Assert.Equal(VectorBase + 0x180, reflected.Vector);
        Assert.Equal(UserPc, reflected.Cp0.EPC);
        Assert.Equal((uint)ExcCode.Sys, ExcCodeOf(reflected.Cp0));
        Assert.Equal(0u, reflected.Cp0.Cause & CauseBits.BD);
        Assert.Equal(StatusBits.EXL, reflected.Cp0.Status & StatusBits.EXL);
        Assert.Equal(cp0.Status | StatusBits.EXL, reflected.Cp0.Status); // KSU and IE are left alone
        Assert.Equal(PrivilegeMode.Kernel, reflected.Cp0.Mode);
        Assert.Equal(cp0.BadVAddr, reflected.Cp0.BadVAddr);
    }

    [Fact]
    public void A_syscall_in_a_delay_slot_is_reflected_with_EPC_at_the_branch_and_BD_set()
    {
        var request = new TrapRequest(TrapKind.Exception, new GuestException(ExcCode.Sys, UserPc + 4, true, 0, Syscall()), UserCp0(), 0, []);

        var reflected = Reflected(Decide(request));

        Assert.Equal(UserPc, reflected.Cp0.EPC);
        Assert.Equal(CauseBits.BD, reflected.Cp0.Cause & CauseBits.BD);
        Assert.Equal(VectorBase + 0x180, reflected.Vector);
    }

    [Fact]
    public void A_tlb_refill_with_EXL_clear_goes_to_the_refill_vector_with_the_fault_registers_set()
    {
        var cp0 = UserCp0();
        cp0.EntryHi = 0x00012000 | 9; // ASID 9
        cp0.Context = 0xC0800000;      // PTEBase
        const uint badVa = 0x00F3A123;
        var e = new GuestException(ExcCode.TlbS, UserPc, false, badVa, Sw(T0, 0x123, T1), IsTlbRefill: true);

        var reflected = Reflected(Decide(new TrapRequest(TrapKind.GuestTlb, e, cp0, 0, [])));

        Assert.Equal(VectorBase + 0x000, reflected.Vector);
        Assert.Equal(UserPc, reflected.Cp0.EPC);
        Assert.Equal((uint)ExcCode.TlbS, ExcCodeOf(reflected.Cp0));
        Assert.Equal(badVa, reflected.Cp0.BadVAddr);
        Assert.Equal(0x00F3A000u | 9, reflected.Cp0.EntryHi);              // VPN2 of the address, ASID kept
        Assert.Equal(0xC0800000u | ((badVa >> 9) & 0x007FFFF0), reflected.Cp0.Context);
        Assert.Equal(PrivilegeMode.Kernel, reflected.Cp0.Mode);
    }

    [Fact]
    public void A_tlb_refill_with_EXL_set_goes_to_the_general_vector_and_leaves_EPC_and_BD_alone()
    {
        var cp0 = KernelCp0();
        cp0.Status |= StatusBits.EXL;  // inside the refill handler already
        cp0.EPC = 0x00400800;
        cp0.Cause = CauseBits.BD;
        var e = new GuestException(ExcCode.TlbL, 0xC0001010, false, 0x7FFF0000, Lw(K1, 0, K0), IsTlbRefill: true);

        var reflected = Reflected(Decide(new TrapRequest(TrapKind.GuestTlb, e, cp0, 0, [])));

        Assert.Equal(VectorBase + 0x180, reflected.Vector);
        Assert.Equal(0x00400800u, reflected.Cp0.EPC);
        Assert.Equal(CauseBits.BD, reflected.Cp0.Cause & CauseBits.BD);
        Assert.Equal((uint)ExcCode.TlbL, ExcCodeOf(reflected.Cp0));
        Assert.Equal(0x7FFF0000u, reflected.Cp0.BadVAddr);
    }

    [Fact]
    public void While_BEV_is_set_exceptions_go_to_the_boot_vectors_not_EBase()
    {
        var cp0 = KernelCp0();
        cp0.Status |= StatusBits.BEV;
        var request = new TrapRequest(TrapKind.Exception, new GuestException(ExcCode.Bp, KernelPc, false, 0, Break()), cp0, 0, []);

        Assert.Equal(0xBFC00380u, Reflected(Decide(request)).Vector);
    }

    [Fact]
    public void A_cop1_instruction_is_reflected_as_coprocessor_unusable_with_CE_1()
    {
        var cp0 = UserCp0();
        var e = new GuestException(ExcCode.CpU, UserPc, false, 0, Mfc1(T0, 2), CoprocessorUnit: 1);

        var reflected = Reflected(Decide(new TrapRequest(TrapKind.Exception, e, cp0, 0, [])));

        Assert.Equal((uint)ExcCode.CpU, ExcCodeOf(reflected.Cp0));
        Assert.Equal(1u << CauseBits.CEShift, reflected.Cp0.Cause & CauseBits.CEMask);
        Assert.Equal(VectorBase + 0x180, reflected.Vector);
    }

    [Fact]
    public void A_pending_interrupt_is_reflected_with_ExcCode_Int()
    {
        var cp0 = UserCp0();
        cp0.Cause = CauseBits.TI | CauseBits.IP7;
        var e = new GuestException(ExcCode.Int, UserPc, false, 0, 0);

        var reflected = Reflected(Decide(new TrapRequest(TrapKind.Interrupt, e, cp0, 0, [])));

        Assert.Equal(VectorBase + 0x180, reflected.Vector);
        Assert.Equal(UserPc, reflected.Cp0.EPC);
        Assert.Equal(CauseBits.TI | CauseBits.IP7 | ((uint)ExcCode.Int << CauseBits.ExcCodeShift), reflected.Cp0.Cause);
    }

    /// <summary>
    /// A privileged instruction in (virtual) user mode with CU0 clear is the guest's own
    /// Coprocessor Unusable exception: the bare CPU raises it, so the monitor must reflect it
    /// to the guest kernel (which kills the process with SIGILL), not perform it on the
    /// virtual CP0 — otherwise a user program could, e.g., set Status.KSU or write the TLB.
    /// </summary>
    [Theory]
    [InlineData("mfc0 t0, Status", 0x40086000u)]
    [InlineData("mtc0 t0, Status", 0x40886000u)]
    [InlineData("tlbwr", 0x42000006u)]
    [InlineData("eret", 0x42000018u)]
    [InlineData("wait", 0x42000020u)]
    public void A_privileged_instruction_in_virtual_user_mode_is_reflected_as_coprocessor_unusable(string mnemonic, uint insn)
    {
        Assert.Equal(mnemonic.Split(' ')[0], PrivilegedInstruction.Decode(insn).Mnemonic);
        var cp0 = UserCp0();
        cp0.EntryLo0 = EntryLoBits.Make(0x100, 3, dirty: true, valid: true, global: false);
        var request = new TrapRequest(TrapKind.Exception, new GuestException(ExcCode.CpU, UserPc, false, 0, insn, 0), cp0, 0, []);

        _router.Tell(new Trap(Key, 0, request));

        var decided = ExpectMsg<Decided>();
        _memory.ExpectNoMsg(TimeSpan.Zero);
        var reflected = Assert.IsType<Reflected>(decided.Decision);
        Assert.Equal(VectorBase + 0x180, reflected.Vector);
        Assert.Equal(UserPc, reflected.Cp0.EPC);
        Assert.Equal((uint)ExcCode.CpU, ExcCodeOf(reflected.Cp0));
        Assert.Equal(0u, reflected.Cp0.Cause & CauseBits.CEMask);
    }

    [Fact]
    public void With_CU0_set_user_mode_may_use_cop0_and_the_instruction_is_emulated()
    {
        var cp0 = UserCp0();
        cp0.Status |= StatusBits.CU0;
        cp0.EPC = 0x00400400;

        var emulated = Emulated(Decide(new TrapRequest(TrapKind.Exception,
            new GuestException(ExcCode.CpU, UserPc, false, 0, Mfc0(T0, Cp0.EPC)), cp0, 0, [])), PrivilegedOp.Mfc0);

        Assert.Equal(0x00400400u, emulated.GprValue);
    }

    // ---- ERET and WAIT -----------------------------------------------------------------

    [Fact]
    public void Eret_returns_to_EPC_with_EXL_cleared_and_the_previous_mode_back()
    {
        var cp0 = UserCp0();
        cp0.Status |= StatusBits.EXL;
        cp0.EPC = 0x00400130;

        var returned = Assert.IsType<Returned>(Decide(Privileged(Eret, cp0)).Decision);

        Assert.Equal(0x00400130u, returned.Target);
        Assert.Equal(cp0.Status & ~StatusBits.EXL, returned.Cp0.Status);
        Assert.Equal(PrivilegeMode.User, returned.Cp0.Mode);
    }

    [Fact]
    public void Eret_with_ERL_set_returns_to_ErrorEPC_and_clears_only_ERL()
    {
        var cp0 = KernelCp0();
        cp0.Status |= StatusBits.ERL | StatusBits.EXL;
        cp0.EPC = 0x1111;
        cp0.ErrorEPC = 0xC0003000;

        var returned = Assert.IsType<Returned>(Decide(Privileged(Eret, cp0)).Decision);

        Assert.Equal(0xC0003000u, returned.Target);
        Assert.Equal(StatusBits.EXL, returned.Cp0.Status & (StatusBits.EXL | StatusBits.ERL));
    }

    [Fact]
    public void Wait_idles_the_vcpu_without_changing_its_state()
    {
        var cp0 = KernelCp0();
        cp0.Status |= StatusBits.IE;
        cp0.Compare = 50000;

        var idled = Assert.IsType<Idled>(Decide(Privileged(Wait, cp0)).Decision);

        Assert.Equal(cp0, idled.Cp0);
    }

    // ---- TLB instructions ------------------------------------------------------------------

    [Theory]
    [InlineData(true, true, new uint[] { 0x100, 0x2A0 })]
    [InlineData(true, false, new uint[] { 0x100 })]
    [InlineData(false, true, new uint[] { 0x2A0 })]
    public void Tlbwr_of_a_4K_entry_is_decided_only_once_the_memory_manager_has_translated_its_valid_pages(bool valid0, bool valid1, uint[] expectedPages)
    {
        var cp0 = KernelCp0();
        cp0.EntryHi = 0x00400000 | 5;
        cp0.EntryLo0 = EntryLoBits.Make(0x100, 3, dirty: false, valid: valid0, global: false);
        cp0.EntryLo1 = EntryLoBits.Make(0x2A0, 3, dirty: true, valid: valid1, global: false);
        cp0.Wired = 2;
        cp0.Random = 40;
        var vcpu = CreateTestProbe("vcpu");

        _router.Tell(new Trap(Key, 1, Privileged(Tlbwr, cp0)), vcpu.Ref);

        var translate = _memory.ExpectMsg<MemoryManagerProtocol.TranslatePages>();
        Assert.Equal(Vm, translate.Vm);
        Assert.Equal(expectedPages, translate.Pages.Select(p => p.Value));
        vcpu.ExpectNoMsg(Quiet); // nothing before the machine pages are known

        var mappings = translate.Pages.Select((p, i) => new GuestPageMapping(p, GuestPageKind.Memory, new Mpn(0x30 + (uint)i), Fresh: true)).ToImmutableArray();
        _memory.Reply(new MemoryManagerProtocol.PagesTranslated(Vm, translate.Correlation, mappings));

        var decided = vcpu.ExpectMsg<Decided>();
        var emulated = Emulated(decided, PrivilegedOp.Tlbwr);
        Assert.Equal<GuestPageMapping>(mappings, decided.Mappings);
        Assert.NotNull(emulated.TlbWrite);
        Assert.Equal(40, emulated.TlbWrite!.Index);
        Assert.Equal(TlbEntry.FromCp0(cp0), emulated.TlbWrite.Entry);
        Assert.Equal(39u, emulated.Cp0.Random);
        _memory.ExpectNoMsg(TimeSpan.Zero);
        ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Tlbwr_steps_Random_down_to_Wired_and_wraps_to_the_top()
    {
        var cp0 = KernelCp0();
        cp0.Wired = 3;
        cp0.Random = 3;
        cp0.PageMask = 0x01FFE000; // 16 MB pages: no translation round trip needed

        var emulated = Emulated(Decide(Privileged(Tlbwr, cp0)), PrivilegedOp.Tlbwr);

        Assert.Equal(3, emulated.TlbWrite!.Index);
        Assert.Equal(63u, emulated.Cp0.Random);
    }

    [Fact]
    public void Tlbwr_of_a_16M_entry_is_decided_at_once_without_asking_the_memory_manager()
    {
        var cp0 = KernelCp0();
        cp0.EntryHi = 0xC2000000;
        cp0.PageMask = 0x01FFE000;
        cp0.EntryLo0 = EntryLoBits.Make(0x2000, 3, true, true, true);
        cp0.EntryLo1 = EntryLoBits.Make(0x3000, 3, true, true, true);

        var decided = Decide(Privileged(Tlbwr, cp0));

        var emulated = Emulated(decided, PrivilegedOp.Tlbwr);
        Assert.True(decided.Mappings.IsDefaultOrEmpty);
        Assert.Equal(63, emulated.TlbWrite!.Index);
        Assert.Equal(0x01FFE000u, emulated.TlbWrite.Entry.PageMask);
        _memory.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Tlbwi_writes_the_indexed_entry_and_an_index_beyond_the_tlb_writes_nothing()
    {
        var cp0 = KernelCp0();
        cp0.EntryHi = 0x00500000 | 3;
        cp0.EntryLo0 = EntryLoBits.Make(0x1F000, 2, true, true, false); // the device page: translated, refused later
        cp0.Index = 12;
        var vcpu = CreateTestProbe("vcpu");

        _router.Tell(new Trap(Key, 0, Privileged(Tlbwi, cp0)), vcpu.Ref);
        var translate = _memory.ExpectMsg<MemoryManagerProtocol.TranslatePages>();
        Assert.Equal([0x1F000u], translate.Pages.Select(p => p.Value));
        _memory.Reply(new MemoryManagerProtocol.PagesTranslated(Vm, translate.Correlation, [new GuestPageMapping(new Ppn(0x1F000), GuestPageKind.Device, default)]));
        var emulated = Emulated(vcpu.ExpectMsg<Decided>(), PrivilegedOp.Tlbwi);
        Assert.Equal(12, emulated.TlbWrite!.Index);

        var small = Cp0State.Reset(16);
        small.Status = 0;
        small.Index = 20; // beyond a 16-entry TLB
        var beyond = Emulated(Decide(Privileged(Tlbwi, small)), PrivilegedOp.Tlbwi);
        Assert.Null(beyond.TlbWrite);
    }

    [Fact]
    public void Replies_to_intercepted_tlb_writes_go_to_the_vcpu_that_trapped_whatever_their_order()
    {
        var first = CreateTestProbe("vcpu0");
        var second = CreateTestProbe("vcpu1");
        var cp0 = KernelCp0();
        cp0.EntryHi = 0x00400000;
        cp0.EntryLo0 = EntryLoBits.Make(0x10, 3, true, true, false);
        _router.Tell(new Trap(new VcpuKey(Vm, 0), 0, Privileged(Tlbwr, cp0)), first.Ref);
        var t1 = _memory.ExpectMsg<MemoryManagerProtocol.TranslatePages>();
        var t1Sender = _memory.LastSender;
        cp0.EntryLo0 = EntryLoBits.Make(0x20, 3, true, true, false);
        _router.Tell(new Trap(new VcpuKey(Vm, 1), 1, Privileged(Tlbwr, cp0)), second.Ref);
        var t2 = _memory.ExpectMsg<MemoryManagerProtocol.TranslatePages>();
        Assert.NotEqual(t1.Correlation, t2.Correlation);

        var m2 = new GuestPageMapping(new Ppn(0x20), GuestPageKind.Memory, new Mpn(0x77));
        var m1 = new GuestPageMapping(new Ppn(0x10), GuestPageKind.OutsideVm, default);
        _memory.Reply(new MemoryManagerProtocol.PagesTranslated(Vm, t2.Correlation, [m2]));
        t1Sender.Tell(new MemoryManagerProtocol.PagesTranslated(Vm, t1.Correlation, [m1]), _memory.Ref);

        Assert.Equal<GuestPageMapping>([m2], second.ExpectMsg<Decided>().Mappings);
        Assert.Equal<GuestPageMapping>([m1], first.ExpectMsg<Decided>().Mappings);
        first.ExpectNoMsg(TimeSpan.Zero);
        second.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_translation_reply_nobody_waits_for_decides_nothing()
    {
        _router.Tell(new MemoryManagerProtocol.PagesTranslated(Vm, 999, [new GuestPageMapping(new Ppn(1), GuestPageKind.Memory, new Mpn(1))]));
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Tlbp_finds_the_matching_entry_of_the_virtual_tlb_by_VPN2_and_ASID()
    {
        var tlb = VirtualTlb(
            (5, new TlbEntry(0x00400000 | 7, 0, EntryLoBits.Make(0x100, 3, true, true, false), 0)),
            (9, new TlbEntry(0x00400000 | 8, 0, EntryLoBits.Make(0x200, 3, true, true, false), 0)),
            (11, new TlbEntry(0x7FFF0000, 0, EntryLoBits.G | EntryLoBits.Make(0x300, 3, true, true, true), EntryLoBits.G)));
        var cp0 = KernelCp0();

        Assert.Equal(5u, ProbeIndex(cp0, 0x00401000 | 7, tlb)); // the odd page of the same pair
        Assert.Equal(9u, ProbeIndex(cp0, 0x00400000 | 8, tlb));
        Assert.Equal(11u, ProbeIndex(cp0, 0x7FFF0000 | 200, tlb)); // global: any ASID
        Assert.Equal(0x80000000u, ProbeIndex(cp0, 0x00400000 | 6, tlb));
        Assert.Equal(0x80000000u, ProbeIndex(cp0, 0x00402000 | 7, tlb));
    }

    [Fact]
    public void Tlbr_loads_EntryHi_EntryLo_and_PageMask_from_the_indexed_virtual_entry()
    {
        var entry = new TlbEntry(0x00F00000 | 3, 0x00006000, EntryLoBits.Make(0x155, 3, true, true, false), EntryLoBits.Make(0x159, 2, false, true, false));
        var tlb = VirtualTlb((17, entry));
        var cp0 = KernelCp0();
        cp0.Index = 17;
        cp0.EntryHi = 0x12345000 | 9;

        var emulated = Emulated(Decide(Privileged(Tlbr, cp0, tlb: tlb)), PrivilegedOp.Tlbr);

        Assert.Equal(
            (entry.EntryHi, entry.EntryLo0, entry.EntryLo1, entry.PageMask, 17u),
            (emulated.Cp0.EntryHi, emulated.Cp0.EntryLo0, emulated.Cp0.EntryLo1, emulated.Cp0.PageMask, emulated.Cp0.Index));
    }

    // ---- the device page -----------------------------------------------------------------

    [Fact]
    public void Uart_bytes_reach_the_guest_vm_a_line_at_a_time_with_the_exact_text()
    {
        foreach (char c in "hello, ")
        {
            AssertDeviceStore(DeviceMap.UartTx, c);
        }

        _guestVm.ExpectNoMsg(Quiet); // no newline yet

        foreach (char c in "world\n\u00e9\n")
        {
            AssertDeviceStore(DeviceMap.UartTx, c);
        }

        _guestVm.ExpectMsg<GuestVmProtocol.ConsoleOutput>(o => o.Vm == Vm && TextOf(o) == "hello, world\n");
        _guestVm.ExpectMsg<GuestVmProtocol.ConsoleOutput>(o => o.Vm == Vm && TextOf(o) == "\u00e9\n");
        _guestVm.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_store_of_a_whole_word_to_the_uart_prints_only_its_low_byte()
    {
        AssertDeviceStore(DeviceMap.UartTx, 0x12345641); // 'A'
        AssertDeviceStore(DeviceMap.UartTx, '\n');
        _guestVm.ExpectMsg<GuestVmProtocol.ConsoleOutput>(o => TextOf(o) == "A\n");
    }

    [Fact]
    public void Poweroff_flushes_the_partial_line_then_tells_the_guest_vm_and_the_vcpu()
    {
        AssertDeviceStore(DeviceMap.UartTx, 'b');
        AssertDeviceStore(DeviceMap.UartTx, 'y');
        AssertDeviceStore(DeviceMap.UartTx, 'e');

        _router.Tell(new Trap(Key, 0, DeviceRequest(DeviceMap.SysPowerOff, Sw(T0, 0x108, T1), storeValue: 42)));

        var done = Assert.IsType<DeviceDone>(ExpectMsg<Decided>().Decision);
        Assert.Equal(new DeviceDone(0, 0, true, 42), done);
        _guestVm.ExpectMsg<GuestVmProtocol.ConsoleOutput>(o => TextOf(o) == "bye");
        _guestVm.ExpectMsg<GuestVmProtocol.PoweredOff>(p => p.Vm == Vm && p.Status == 42);
    }

    [Theory]
    [InlineData(DeviceMap.SysMemSize, VmBytes)]
    [InlineData(DeviceMap.SysNCpus, 1u)]
    [InlineData(DeviceMap.UartStatus, DeviceMap.UartStatusTxReady)]
    [InlineData(DeviceMap.UartRx, DeviceMap.UartRxEmpty)]
    [InlineData(0x200u, 0u)]
    public void Device_loads_read_the_vms_registers_into_the_loads_target_register(uint offset, uint expected)
    {
        _router.Tell(new Trap(Key, 0, DeviceRequest(offset, Lw(T6, (int)offset, T1))));

        var done = Assert.IsType<DeviceDone>(ExpectMsg<Decided>().Decision);
        Assert.Equal(new DeviceDone(T6, expected, false, 0), done);
        _guestVm.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_byte_load_of_the_empty_uart_sign_extends()
    {
        _router.Tell(new Trap(Key, 0, DeviceRequest(DeviceMap.UartRx, Lb(T2, 4, T1))));
        Assert.Equal(new DeviceDone(T2, 0xFFFFFFFF, false, 0), ExpectMsg<Decided>().Decision);

        _router.Tell(new Trap(Key, 0, DeviceRequest(DeviceMap.UartRx, Lbu(T2, 4, T1))));
        Assert.Equal(new DeviceDone(T2, 0xFF, false, 0), ExpectMsg<Decided>().Decision);
    }

    // ---- helpers -------------------------------------------------------------------------

    /// <summary>A guest kernel's CP0 after boot: vectors in ksseg, BEV clear, kernel mode, timer unmasked.</summary>
    private static Cp0State KernelCp0()
    {
        var cp0 = Cp0State.Reset(64);
        cp0.Status = StatusBits.IM7;
        cp0.EBase = GuestEBase;
        cp0.Wired = 2;
        return cp0;
    }

    /// <summary>A user process running: KSU = user, EXL = 0, IE on.</summary>
    private static Cp0State UserCp0()
    {
        var cp0 = KernelCp0();
        cp0.Status = StatusBits.IM7 | (2u << StatusBits.KsuShift) | StatusBits.IE;
        cp0.EntryHi = 4;
        return cp0;
    }

    private static TrapRequest Privileged(uint insn, Cp0State cp0, uint rt = 0, ImmutableArray<TlbEntry>? tlb = null) =>
        new(TrapKind.Exception, new GuestException(ExcCode.CpU, KernelPc, false, 0, insn, 0), cp0, rt, tlb ?? []);

    private static TrapRequest DeviceRequest(uint offset, uint insn, uint storeValue = 0)
    {
        Assert.True(LoadStoreInstruction.TryDecode(insn, out var access));
        var e = new GuestException(access.IsStore ? ExcCode.TlbS : ExcCode.TlbL, KernelPc, false, DeviceMap.VirtualBase + offset, insn);
        return new TrapRequest(TrapKind.DeviceAccess, e, KernelCp0(), storeValue, [], new DeviceAccess(offset, access, storeValue));
    }

    private void AssertDeviceStore(uint offset, uint value)
    {
        _router.Tell(new Trap(Key, 0, DeviceRequest(offset, Sb(T0, (int)offset, T1), value)));
        Assert.Equal(new DeviceDone(0, 0, false, 0), ExpectMsg<Decided>().Decision);
    }

    private Decided Decide(TrapRequest request)
    {
        _router.Tell(new Trap(Key, 0, request));
        return ExpectMsg<Decided>();
    }

    private uint ProbeIndex(Cp0State cp0, uint entryHi, ImmutableArray<TlbEntry> tlb)
    {
        cp0.EntryHi = entryHi;
        cp0.Index = 33;
        return Emulated(Decide(Privileged(Tlbp, cp0, tlb: tlb)), PrivilegedOp.Tlbp).Cp0.Index;
    }

    private static ImmutableArray<TlbEntry> VirtualTlb(params (int Index, TlbEntry Entry)[] entries)
    {
        var tlb = Enumerable.Range(0, 64).Select(TlbEntry.Unused).ToArray();
        foreach (var (index, entry) in entries)
        {
            tlb[index] = entry;
        }

        return [.. tlb];
    }

    private static Emulated Emulated(Decided decided, PrivilegedOp op)
    {
        var emulated = Assert.IsType<Emulated>(decided.Decision);
        Assert.Equal(op, emulated.Op);
        return emulated;
    }

    private static Reflected Reflected(Decided decided) => Assert.IsType<Reflected>(decided.Decision);

    private static string TextOf(GuestVmProtocol.ConsoleOutput output) => System.Text.Encoding.Latin1.GetString(output.Bytes.AsSpan());

    private static uint ExcCodeOf(in Cp0State cp0) => (cp0.Cause & CauseBits.ExcCodeMask) >> CauseBits.ExcCodeShift;
}
