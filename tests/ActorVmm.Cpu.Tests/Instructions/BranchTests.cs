using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// Branches and jumps with their delay slots. Every branch is run taken and not taken on the
/// same little program:
/// <code>
///   0: branch  → 4          (offset 3, relative to the delay slot)
///   1: addiu s0, s0, 1      delay slot
///   2: addiu s1, s1, 1      fall-through path
///   3: break                end when not taken
///   4: addiu s2, s2, 1      target
///   5: break                end when taken
/// </code>
/// The delay slot must run either way, except for a branch-likely not taken, which nullifies
/// it. The -AL forms write the link (branch + 8) whether or not they branch.
/// </summary>
public sealed class BranchTests
{
    private const uint Code = CpuHarness.CodeBase;

    private readonly record struct Outcome(bool SlotRan, bool FellThrough, bool ReachedTarget, uint Link);

    private static Outcome RunBranch(uint branch, uint rsValue, uint rtValue = 0)
    {
        using var h = new CpuHarness();
        h[T0] = rsValue;
        h[T1] = rtValue;
        h[RA] = 0xDEADBEEF;
        h.Load(branch, Addiu(S0, S0, 1), Addiu(S1, S1, 1), Break(), Addiu(S2, S2, 1), Break());
        uint end = h.RunToBreak();
        bool taken = h[S2] == 1;
        Assert.Equal(taken ? Code + 20 : Code + 12, end);
        Assert.Equal(taken ? 0u : 1u, h[S1]);
        return new Outcome(h[S0] == 1, h[S1] == 1, taken, h[RA]);
    }

    private static void AssertTaken(Outcome o)
    {
        Assert.True(o.ReachedTarget, "branch should be taken");
        Assert.True(o.SlotRan, "the delay slot of a taken branch must execute");
        Assert.False(o.FellThrough);
    }

    private static void AssertNotTaken(Outcome o, bool likely)
    {
        Assert.False(o.ReachedTarget, "branch should not be taken");
        Assert.True(o.FellThrough);
        if (likely)
        {
            Assert.False(o.SlotRan, "a branch-likely not taken must nullify its delay slot");
        }
        else
        {
            Assert.True(o.SlotRan, "the delay slot of an untaken branch still executes");
        }
    }

    private static void Check(uint branch, bool likely, uint rs, uint rt, bool taken)
    {
        var o = RunBranch(branch, rs, rt);
        if (taken)
        {
            AssertTaken(o);
        }
        else
        {
            AssertNotTaken(o, likely);
        }
    }

    [Theory]
    [InlineData(5u, 5u, true)]
    [InlineData(5u, 6u, false)]
    [InlineData(0x80000000u, 0x80000000u, true)]
    [InlineData(0u, 0xFFFFFFFFu, false)]
    public void Beq(uint a, uint b, bool taken)
    {
        Check(Asm.Beq(T0, T1, 3), likely: false, a, b, taken);
        Check(Asm.Beql(T0, T1, 3), likely: true, a, b, taken);
    }

    [Theory]
    [InlineData(5u, 5u, false)]
    [InlineData(5u, 6u, true)]
    [InlineData(0u, 0x80000000u, true)]
    public void Bne(uint a, uint b, bool taken)
    {
        Check(Asm.Bne(T0, T1, 3), likely: false, a, b, taken);
        Check(Asm.Bnel(T0, T1, 3), likely: true, a, b, taken);
    }

    [Theory]
    [InlineData(0u, true)]
    [InlineData(0xFFFFFFFFu, true)]
    [InlineData(0x80000000u, true)]
    [InlineData(1u, false)]
    [InlineData(0x7FFFFFFFu, false)]
    public void Blez(uint v, bool taken)
    {
        Check(Asm.Blez(T0, 3), likely: false, v, 0, taken);
        Check(Asm.Blezl(T0, 3), likely: true, v, 0, taken);
    }

    [Theory]
    [InlineData(0u, false)]
    [InlineData(0xFFFFFFFFu, false)]
    [InlineData(0x80000000u, false)]
    [InlineData(1u, true)]
    [InlineData(0x7FFFFFFFu, true)]
    public void Bgtz(uint v, bool taken)
    {
        Check(Asm.Bgtz(T0, 3), likely: false, v, 0, taken);
        Check(Asm.Bgtzl(T0, 3), likely: true, v, 0, taken);
    }

    [Theory]
    [InlineData(0u, false)]
    [InlineData(1u, false)]
    [InlineData(0xFFFFFFFFu, true)]
    [InlineData(0x80000000u, true)]
    [InlineData(0x7FFFFFFFu, false)]
    public void Bltz(uint v, bool taken)
    {
        Check(Asm.Bltz(T0, 3), likely: false, v, 0, taken);
        Check(Asm.Bltzl(T0, 3), likely: true, v, 0, taken);
    }

    [Theory]
    [InlineData(0u, true)]
    [InlineData(1u, true)]
    [InlineData(0xFFFFFFFFu, false)]
    [InlineData(0x80000000u, false)]
    [InlineData(0x7FFFFFFFu, true)]
    public void Bgez(uint v, bool taken)
    {
        Check(Asm.Bgez(T0, 3), likely: false, v, 0, taken);
        Check(Asm.Bgezl(T0, 3), likely: true, v, 0, taken);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, true)]
    [InlineData(0x80000000u, true)]
    [InlineData(0u, false)]
    [InlineData(1u, false)]
    public void Bltzal_links_whether_or_not_it_branches(uint v, bool taken)
    {
        var o = RunBranch(Asm.Bltzal(T0, 3), v);
        if (taken) { AssertTaken(o); } else { AssertNotTaken(o, likely: false); }
        Assert.Equal(Code + 8, o.Link);
    }

    [Theory]
    [InlineData(0u, true)]
    [InlineData(0x7FFFFFFFu, true)]
    [InlineData(0xFFFFFFFFu, false)]
    [InlineData(0x80000000u, false)]
    public void Bgezal_links_whether_or_not_it_branches(uint v, bool taken)
    {
        var o = RunBranch(Asm.Bgezal(T0, 3), v);
        if (taken) { AssertTaken(o); } else { AssertNotTaken(o, likely: false); }
        Assert.Equal(Code + 8, o.Link);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, true)]
    [InlineData(0u, false)]
    [InlineData(0x7FFFFFFFu, false)]
    public void Bltzall_links_always_and_nullifies_when_not_taken(uint v, bool taken)
    {
        var o = RunBranch(Asm.Bltzall(T0, 3), v);
        if (taken) { AssertTaken(o); } else { AssertNotTaken(o, likely: true); }
        Assert.Equal(Code + 8, o.Link);
    }

    [Theory]
    [InlineData(0u, true)]
    [InlineData(5u, true)]
    [InlineData(0xFFFFFFFFu, false)]
    public void Bgezall_links_always_and_nullifies_when_not_taken(uint v, bool taken)
    {
        var o = RunBranch(Asm.Bgezall(T0, 3), v);
        if (taken) { AssertTaken(o); } else { AssertNotTaken(o, likely: true); }
        Assert.Equal(Code + 8, o.Link);
    }

    [Fact]
    public void Bal_always_branches_and_links()
    {
        var o = RunBranch(Asm.Bal(3), 0);
        AssertTaken(o);
        Assert.Equal(Code + 8, o.Link);
    }

    [Fact]
    public void B_is_an_unconditional_beq()
    {
        AssertTaken(RunBranch(Asm.B(3), 1, 2));
    }

    [Fact]
    public void A_nullified_delay_slot_does_not_retire_or_fault()
    {
        using var h = new CpuHarness();
        h[T0] = 1;
        // beql t0, zero (not taken) with a faulting delay slot: the fault must not happen.
        h.Load(Asm.Beql(T0, Zero, 3), Lw(T1, 1, Zero), Break());
        var e = h.RunToException();
        Assert.Equal(ExcCode.Bp, e.Code);
        Assert.Equal(Code + 8, e.Pc);
        Assert.Equal(1L, h.Core.Retired);
    }

    [Fact]
    public void Branch_offsets_are_relative_to_the_delay_slot_and_may_be_negative()
    {
        using var h = new CpuHarness();
        h[T0] = 3;
        // 0: addiu s0,s0,1   1: addiu t0,t0,-1   2: bne t0,zero,-3 (→ 0)   3: addiu s1,s1,1   4: break
        h.Execute(Addiu(S0, S0, 1), Addiu(T0, T0, -1), Asm.Bne(T0, Zero, -3), Addiu(S1, S1, 1));
        Assert.Equal(3u, h[S0]);
        Assert.Equal(3u, h[S1]); // the delay slot ran on every pass, taken or not
    }

    [Fact]
    public void A_branch_reads_its_operands_before_the_delay_slot_changes_them()
    {
        using var h = new CpuHarness();
        h[T0] = 0;
        h.Load(Asm.Beq(T0, Zero, 3), Addiu(T0, T0, 1), Addiu(S1, S1, 1), Break(), Addiu(S2, S2, 1), Break());
        Assert.Equal(Code + 20, h.RunToBreak());
        Assert.Equal(1u, h[T0]);
    }

    // ---- J / JAL ---------------------------------------------------------------------------

    [Fact]
    public void J_goes_to_the_target_in_the_current_region_after_the_delay_slot()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x40;
        h.Place(CpuHarness.Phys(target), Addiu(S2, S2, 1), Break());
        h.Load(Asm.J(target), Addiu(S0, S0, 1), Addiu(S1, S1, 1), Break());
        Assert.Equal(target + 4, h.RunToBreak());
        Assert.Equal((1u, 0u, 1u), (h[S0], h[S1], h[S2]));
    }

    [Fact]
    public void Jal_links_pc_plus_8_and_the_delay_slot_sees_the_link()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x40;
        h.Place(CpuHarness.Phys(target), Break());
        h.Load(Asm.Jal(target), Move(T0, RA));
        Assert.Equal(target, h.RunToBreak());
        Assert.Equal(Code + 8, h[RA]);
        Assert.Equal(Code + 8, h[T0]);
    }

    [Fact]
    public void J_and_jal_take_the_region_from_the_delay_slot_address_not_the_jump()
    {
        // The jump is the last word of the 256 MB region 0x0xxxxxxx; its delay slot is the
        // first word of 0x1xxxxxxx, so the target must land in 0x1xxxxxxx.
        using var h = new CpuHarness();
        h.MapPair(2, 0x0FFFE000, 0x00100000);
        h.MapPair(3, 0x10000000, 0x00102000);
        h.SetStatus(PrivilegeMode.Kernel);
        h.Place(0x00101FFC, Asm.Jal(0x00000100));
        h.Place(0x00102000, Addiu(S0, S0, 1));
        h.Place(0x00102100, Addiu(S2, S2, 1), Break());
        h.Core.Jump(0x0FFFFFFC);
        Assert.Equal(0x10000104u, h.RunToBreak());
        Assert.Equal(1u, h[S0]);
        Assert.Equal(1u, h[S2]);
        Assert.Equal(0x10000004u, h[RA]);
    }

    // ---- JR / JALR -----------------------------------------------------------------------

    [Fact]
    public void Jr_jumps_to_the_register_after_the_delay_slot()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x80;
        h.Place(CpuHarness.Phys(target), Addiu(S2, S2, 1), Break());
        h[T9] = target;
        h.Load(Jr(T9), Addiu(S0, S0, 1), Addiu(S1, S1, 1), Break());
        Assert.Equal(target + 4, h.RunToBreak());
        Assert.Equal((1u, 0u, 1u), (h[S0], h[S1], h[S2]));
    }

    [Fact]
    public void Jr_hb_behaves_like_jr()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x80;
        h.Place(CpuHarness.Phys(target), Break());
        h[T9] = target;
        h.Load(JrHb(T9), Addiu(S0, S0, 1));
        Assert.Equal(target, h.RunToBreak());
        Assert.Equal(1u, h[S0]);
    }

    [Fact]
    public void Jalr_with_rd_other_than_ra_links_into_rd_only()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x80;
        h.Place(CpuHarness.Phys(target), Break());
        h[T9] = target;
        h[RA] = 0xDEADBEEF;
        h.Load(Jalr(T2, T9), Addiu(S0, S0, 1));
        Assert.Equal(target, h.RunToBreak());
        Assert.Equal(Code + 8, h[T2]);
        Assert.Equal(0xDEADBEEFu, h[RA]);
        Assert.Equal(1u, h[S0]);
    }

    [Fact]
    public void Jalr_default_links_ra_and_jalr_hb_behaves_alike()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x80;
        h.Place(CpuHarness.Phys(target), Break());
        h[T9] = target;
        h.Load(Jalr(T9), Nop);
        Assert.Equal(target, h.RunToBreak());
        Assert.Equal(Code + 8, h[RA]);

        h.Load(JalrHb(T3, T9), Nop);
        Assert.Equal(target, h.RunToBreak());
        Assert.Equal(Code + 8, h[T3]);
    }

    [Fact]
    public void Jr_to_a_misaligned_address_raises_AdEL_on_the_fetch_of_the_target()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x82;
        h[T9] = target;
        h.Load(Jr(T9), Addiu(S0, S0, 1));
        var e = h.RunToException();
        Assert.Equal(ExcCode.AdEL, e.Code);
        Assert.Equal(target, e.Pc);
        Assert.Equal(target, e.BadVAddr);
        Assert.False(e.InDelaySlot);
        Assert.Equal(1u, h[S0]); // the delay slot completed first
    }
}
