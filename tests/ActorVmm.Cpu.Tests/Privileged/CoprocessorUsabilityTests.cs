using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// Coprocessor 0 usability: every COP0 instruction and CACHE need kernel mode or Status.CU0;
/// otherwise Coprocessor Unusable with CE = 0, before anything changes.
/// </summary>
public sealed class CoprocessorUsabilityTests
{
    public static TheoryData<uint, string> Cop0Instructions => new()
    {
        { Mfc0(T0, Cp0.Status), "mfc0" },
        { Mtc0(T0, Cp0.Status), "mtc0" },
        { Mtc0(T0, Cp0.EntryHi), "mtc0 EntryHi" },
        { Tlbr, "tlbr" },
        { Tlbwi, "tlbwi" },
        { Tlbwr, "tlbwr" },
        { Tlbp, "tlbp" },
        { Eret, "eret" },
        { Asm.Wait, "wait" },
        { Di(T0), "di" },
        { Ei(T0), "ei" },
        { Rdpgpr(T1, T0), "rdpgpr" },
        { Cache(0x14, 0, T1), "cache" },
    };

    [Theory]
    [MemberData(nameof(Cop0Instructions))]
    public void User_mode_cop0_raises_CpU_with_CE_0_and_changes_nothing(uint insn, string what)
    {
        using var h = new CpuHarness();
        h[T0] = 0xFFFFFFFF;
        h[T1] = CpuHarness.UserData;
        h.EnterUserMode(insn, Break());
        uint status = h.Cp0.Status;
        uint entryHi = h.Cp0.EntryHi;
        var e = h.RunToException();
        Assert.True(e.Code == ExcCode.CpU, $"{what}: expected CpU, got {e}");
        Assert.Equal(0, e.CoprocessorUnit);
        Assert.Equal(CpuHarness.UserCode, e.Pc);
        Assert.Equal(0xFFFFFFFFu, h[T0]);
        Assert.Equal(status, h.Cp0.Status);
        Assert.Equal(entryHi, h.Cp0.EntryHi);
        Assert.Equal(PrivilegeMode.User, h.Core.Mode);
    }

    [Theory]
    [MemberData(nameof(Cop0Instructions))]
    public void Supervisor_mode_cop0_raises_CpU_too(uint insn, string what)
    {
        using var h = new CpuHarness();
        h[T1] = CpuHarness.UserData;
        h.EnterMappedMode(PrivilegeMode.Supervisor, 0, insn, Break());
        var e = h.RunToException();
        Assert.True(e.Code == ExcCode.CpU, $"{what}: expected CpU, got {e}");
        Assert.Equal(0, e.CoprocessorUnit);
    }

    [Fact]
    public void User_mode_cop0_natively_sets_Cause_CE_to_0()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.Core.Cp0.Cause |= 3u << CauseBits.CEShift; // stale CE from an earlier exception
        h.EnterUserMode(Nop, Mfc0(T0, Cp0.Count));
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal((uint)ExcCode.CpU, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(0u, (h.Cp0.Cause & CauseBits.CEMask) >> CauseBits.CEShift);
        Assert.Equal(CpuHarness.UserCode + 4, h.Cp0.EPC);
    }

    [Fact]
    public void With_CU0_user_mode_may_use_cop0()
    {
        using var h = new CpuHarness();
        h[T0] = 0x42;
        h.EnterMappedMode(PrivilegeMode.User, StatusBits.CU0,
            Mfc0(T1, Cp0.PRId), Mtc0(T0, Cp0.EntryHi), Mfc0(T2, Cp0.EntryHi), Cache(0x14, 0, Zero), Di(T3), Break());
        Assert.Equal(CpuHarness.UserCode + 20, h.RunToBreak());
        Assert.Equal(0x00019300u, h[T1]);
        Assert.Equal(0x42u, h[T2]);
        Assert.Equal(PrivilegeMode.User, h.Core.Mode);
        Assert.NotEqual(0u, h[T3] & StatusBits.CU0);
    }

    [Fact]
    public void With_CU0_user_mode_may_even_leave_user_mode_through_Status()
    {
        using var h = new CpuHarness();
        h[T0] = StatusBits.CU0; // KSU = 0: kernel
        h[T1] = 0x80000000;
        h.EnterMappedMode(PrivilegeMode.User, StatusBits.CU0, Mtc0(T0, Cp0.Status), Lw(T2, 0, T1), Break());
        h.RunToBreak();
        Assert.Equal(PrivilegeMode.Kernel, h.Core.Mode);
    }

    [Fact]
    public void Kernel_mode_needs_no_CU0()
    {
        using var h = new CpuHarness();
        h.SetStatus(PrivilegeMode.Kernel);
        h.Execute(Mfc0(T0, Cp0.PRId), Cache(0x14, 0, Zero));
        Assert.Equal(0x00019300u, h[T0]);
    }

    [Fact]
    public void User_mode_with_EXL_is_kernel_mode_and_may_use_cop0()
    {
        using var h = new CpuHarness();
        h.EnterMappedMode(PrivilegeMode.User, StatusBits.EXL, Mfc0(T0, Cp0.PRId), Break());
        h.RunToBreak();
        Assert.Equal(0x00019300u, h[T0]);
    }

    [Fact]
    public void User_mode_sync_pref_and_synci_need_no_privilege()
    {
        using var h = new CpuHarness();
        h[T1] = CpuHarness.UserData;
        h.EnterUserMode(Sync(), Pref(0, 0, T1), Synci(0, T1), Break());
        Assert.Equal(CpuHarness.UserCode + 12, h.RunToBreak());
    }

    [Fact]
    public void Synci_translates_its_address_and_can_raise_TLB_refill()
    {
        // Volume II, SYNCI: "Exceptions: Reserved Instruction, TLB Refill, TLB Invalid,
        // Address Error, Cache Error, Bus Error" (never TLBS / Mod).
        using var h = new CpuHarness();
        h[T0] = 0x00600000; // kuseg, no TLB entry
        h.Load(Synci(0, T0), Break());
        var e = h.RunToException();
        Assert.Equal(ExcCode.TlbL, e.Code);
        Assert.True(e.IsTlbRefill);
        Assert.Equal(0x00600000u, e.BadVAddr);
    }

    [Fact]
    public void User_mode_still_sees_COP1_as_unit_1()
    {
        using var h = new CpuHarness();
        h.EnterMappedMode(PrivilegeMode.User, StatusBits.CU0, Mfc1(T0, 0), Break());
        var e = h.RunToException();
        Assert.Equal(ExcCode.CpU, e.Code);
        Assert.Equal(1, e.CoprocessorUnit);
    }
}
