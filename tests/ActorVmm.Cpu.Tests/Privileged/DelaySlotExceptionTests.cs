using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// An exception in a branch delay slot (PRA, "Exception Processing"): natively EPC is the
/// branch and Cause.BD = 1, so the handler can re-execute the branch; under host delivery
/// the core reports the slot itself with InDelaySlot, and a host that emulates the slot
/// (CompleteInstruction) must continue at the branch target.
/// </summary>
public sealed class DelaySlotExceptionTests
{
    private const uint Code = CpuHarness.CodeBase;

    private static CpuHarness Native()
    {
        var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel);
        return h;
    }

    [Fact]
    public void Syscall_in_the_delay_slot_of_a_taken_branch_sets_EPC_to_the_branch_and_BD()
    {
        using var h = Native();
        h.Load(Nop, B(3), Syscall(), Nop, Nop, Nop);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(Code + 4, h.Cp0.EPC);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.Equal((uint)ExcCode.Sys, CpuHarness.ExcCodeOf(h.Cp0.Cause));
    }

    [Fact]
    public void Exception_in_the_delay_slot_of_an_untaken_branch_also_sets_BD()
    {
        using var h = Native();
        h[T0] = 1;
        h.Load(Asm.Beq(T0, Zero, 3), Break(), Nop);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(Code, h.Cp0.EPC);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.Equal((uint)ExcCode.Bp, CpuHarness.ExcCodeOf(h.Cp0.Cause));
    }

    [Fact]
    public void Exception_in_the_delay_slot_of_jr_sets_EPC_to_the_jr()
    {
        using var h = Native();
        h[T9] = Code + 0x100;
        h.Load(Nop, Nop, Jr(T9), Lw(T0, 2, Zero));
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(Code + 8, h.Cp0.EPC);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.Equal((uint)ExcCode.AdEL, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(2u, h.Cp0.BadVAddr);
    }

    [Fact]
    public void Exception_in_the_delay_slot_of_a_taken_branch_likely_sets_BD()
    {
        using var h = Native();
        h.Load(Asm.Beql(Zero, Zero, 3), Syscall(), Nop);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(Code, h.Cp0.EPC);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.BD);
    }

    [Fact]
    public void Tlb_refill_in_a_delay_slot_goes_to_the_refill_vector_with_BD()
    {
        using var h = Native();
        h[T1] = 0x00402000;
        h.Load(Jal(Code + 0x100), Lw(T0, 4, T1));
        Assert.Equal(0x80000000u, h.RunToVector());
        Assert.Equal(Code, h.Cp0.EPC);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.Equal(0x00402004u, h.Cp0.BadVAddr);
        Assert.Equal(Code + 8, h[RA]); // the jump itself completed
    }

    [Fact]
    public void An_exception_outside_a_delay_slot_clears_a_stale_BD()
    {
        using var h = Native();
        h.Core.Cp0.Cause |= CauseBits.BD;
        h.Core.Cp0Changed(Cp0WriteEffect.Interrupts);
        h.Load(Nop, Syscall());
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(Code + 4, h.Cp0.EPC);
        Assert.Equal(0u, h.Cp0.Cause & CauseBits.BD);
    }

    [Fact]
    public void Fetch_fault_of_a_delay_slot_on_an_unmapped_page_reports_the_branch()
    {
        // The branch is the last word of a mapped page; its delay slot lies on an unmapped one.
        using var h = Native();
        h.SetTlb(5, CpuHarness.Hi(0x00400000), CpuHarness.Lo(0x00100000, global: true), 0);
        h.Place(0x00100FFC, B(10));
        h.Core.Jump(0x00400FFC);
        Assert.Equal(0x80000180u, h.RunToVector()); // the entry matches, odd page invalid: TLB invalid
        Assert.Equal(0x00400FFCu, h.Cp0.EPC);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.Equal(0x00401000u, h.Cp0.BadVAddr);
        Assert.Equal((uint)ExcCode.TlbL, CpuHarness.ExcCodeOf(h.Cp0.Cause));
    }

    // ---- host delivery ------------------------------------------------------------------------

    [Fact]
    public void Host_delivery_reports_the_slot_itself_with_InDelaySlot()
    {
        using var h = new CpuHarness();
        h.Load(Nop, B(3), Syscall(), Nop);
        var e = h.RunToException();
        Assert.Equal(ExcCode.Sys, e.Code);
        Assert.True(e.InDelaySlot);
        Assert.Equal(Code + 8, e.Pc);
        Assert.Equal(Code + 8, h.Core.Pc);
        Assert.True(h.Core.InDelaySlot);
        Assert.Equal(Code + 20, h.Core.NextPc);
        Assert.Equal(0u, h.Cp0.Cause & CauseBits.BD); // host delivery changes no CP0 state
        Assert.Equal(0u, h.Cp0.EPC);
    }

    [Fact]
    public void Completing_an_emulated_delay_slot_continues_at_the_branch_target()
    {
        using var h = new CpuHarness();
        // 0: b → 4   1: syscall (slot)   2: addiu s1   3: break   4: addiu s2   5: break
        h.Load(B(3), Syscall(), Addiu(S1, S1, 1), Break(), Addiu(S2, S2, 1), Break());
        Assert.Equal(ExcCode.Sys, h.RunToException().Code);
        h.Core.CompleteInstruction();
        Assert.Equal(Code + 16, h.Core.Pc);
        Assert.False(h.Core.InDelaySlot);
        Assert.Equal(Code + 20, h.RunToBreak());
        Assert.Equal((0u, 1u), (h[S1], h[S2]));
    }

    [Fact]
    public void Completing_an_emulated_delay_slot_of_an_untaken_branch_continues_after_the_slot()
    {
        using var h = new CpuHarness();
        h[T0] = 1;
        h.Load(Asm.Beq(T0, Zero, 3), Syscall(), Addiu(S1, S1, 1), Break(), Addiu(S2, S2, 1), Break());
        var e = h.RunToException();
        Assert.True(e.InDelaySlot);
        h.Core.CompleteInstruction();
        Assert.Equal(Code + 12, h.RunToBreak());
        Assert.Equal((1u, 0u), (h[S1], h[S2]));
    }

    [Fact]
    public void Completing_an_emulated_delay_slot_of_jalr_keeps_the_link_and_goes_to_the_target()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x40;
        h.Place(CpuHarness.Phys(target), Addiu(S2, S2, 1), Break());
        h[T9] = target;
        h.Load(Jalr(T9), Syscall());
        Assert.True(h.RunToException().InDelaySlot);
        h.Core.CompleteInstruction();
        Assert.Equal(target + 4, h.RunToBreak());
        Assert.Equal(Code + 8, h[RA]);
        Assert.Equal(1u, h[S2]);
    }

    [Fact]
    public void Resuming_after_fixing_a_fault_in_a_delay_slot_reexecutes_the_slot_then_branches()
    {
        using var h = new CpuHarness();
        h[T1] = 0x00400000;
        h.Write32(0x00100000, 0x5A5A5A5A);
        h.Load(B(3), Lw(T0, 0, T1), Addiu(S1, S1, 1), Break(), Addiu(S2, S2, 1), Break());
        var e = h.RunToException();
        Assert.Equal(ExcCode.TlbL, e.Code);
        Assert.True(e.IsTlbRefill);
        Assert.True(e.InDelaySlot);
        Assert.Equal(0x00400000u, e.BadVAddr);

        h.MapPair(7, 0x00400000, 0x00100000); // the host serves the miss
        Assert.Equal(Code + 20, h.RunToBreak());
        Assert.Equal(0x5A5A5A5Au, h[T0]);
        Assert.Equal((0u, 1u), (h[S1], h[S2]));
    }

    [Fact]
    public void Host_delivery_reports_a_fault_in_the_slot_of_a_taken_branch_likely()
    {
        using var h = new CpuHarness();
        h.Load(Asm.Bgezl(Zero, 3), Break(7 << 10));
        var e = h.RunToException();
        Assert.Equal(ExcCode.Bp, e.Code);
        Assert.True(e.InDelaySlot);
        Assert.Equal(Code + 4, e.Pc);
    }
}
