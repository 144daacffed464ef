using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// The MIPS32 segment map per privilege mode (PRA, "Virtual Memory"): user mode reaches only
/// useg; supervisor mode reaches suseg and sseg (0xC0000000-0xDFFFFFFF); kernel mode reaches
/// everything; any other access is an address error with BadVAddr. Kernel mode is KSU = 0 or
/// EXL = 1 or ERL = 1, and ERL = 1 makes kuseg an unmapped identity window.
/// </summary>
public sealed class SegmentTests
{
    private static CpuHarness InMode(PrivilegeMode mode, uint statusExtra, params uint[] code)
    {
        var h = new CpuHarness();
        h.MapPair(2, 0xC0000000, 0x00300000); // ksseg / sseg
        h.MapPair(3, 0xE0000000, 0x00302000); // kseg3
        h.Write32(0x00300010, 0x5E550000);
        h.Write32(0x00302010, 0x3E530000);
        h.Write32(CpuHarness.UserDataPhys + 0x10, 0x05E60000);
        h.Write32(0x00000010, 0x0C5E0000);
        h.EnterMappedMode(mode, statusExtra, [.. code, Break()]);
        return h;
    }

    [Theory]
    [InlineData(0x80000010u)] // kseg0
    [InlineData(0x9FFFFFFCu)]
    [InlineData(0xA0000010u)] // kseg1
    [InlineData(0xC0000010u)] // ksseg
    [InlineData(0xDFFFFFFCu)]
    [InlineData(0xE0000010u)] // kseg3
    [InlineData(0xFFFFFFFCu)]
    public void User_mode_loads_outside_useg_raise_AdEL(uint va)
    {
        using var h = InMode(PrivilegeMode.User, 0, Lw(T1, 0, T0));
        h[T0] = va;
        h[T1] = 0xDEADBEEF;
        var e = h.RunToException();
        Assert.Equal(ExcCode.AdEL, e.Code);
        Assert.Equal(va, e.BadVAddr);
        Assert.Equal(CpuHarness.UserCode, e.Pc);
        Assert.Equal(0xDEADBEEFu, h[T1]);
    }

    [Theory]
    [InlineData(0x80000010u)]
    [InlineData(0xA0000010u)]
    [InlineData(0xC0000010u)]
    [InlineData(0xE0000010u)]
    public void User_mode_stores_outside_useg_raise_AdES(uint va)
    {
        using var h = InMode(PrivilegeMode.User, 0, Sw(T1, 0, T0), Sb(T1, 1, T0));
        h[T0] = va;
        h[T1] = 0xDEADBEEF;
        var e = h.RunToException();
        Assert.Equal(ExcCode.AdES, e.Code);
        Assert.Equal(va, e.BadVAddr);
        Assert.Equal(0x5E550000u, h.Read32(0x00300010));
        Assert.Equal(0x3E530000u, h.Read32(0x00302010));
    }

    [Fact]
    public void User_mode_reaches_useg()
    {
        using var h = InMode(PrivilegeMode.User, 0, Lw(T1, 0x10, T0));
        h[T0] = CpuHarness.UserData;
        h.RunToBreak();
        Assert.Equal(0x05E60000u, h[T1]);
    }

    [Theory]
    [InlineData(0x80001000u)]
    [InlineData(0xC0000000u)]
    public void User_mode_fetch_outside_useg_raises_AdEL_at_the_target(uint target)
    {
        using var h = InMode(PrivilegeMode.User, 0, Jr(T0), Nop);
        h[T0] = target;
        var e = h.RunToException();
        Assert.Equal(ExcCode.AdEL, e.Code);
        Assert.Equal(target, e.Pc);
        Assert.Equal(target, e.BadVAddr);
        Assert.False(e.InDelaySlot);
    }

    [Theory]
    [InlineData(0x80000010u)]
    [InlineData(0xA0000010u)]
    [InlineData(0xE0000010u)]
    [InlineData(0xFFFFFFFCu)]
    public void Supervisor_mode_cannot_reach_kseg0_kseg1_or_kseg3(uint va)
    {
        using var h = InMode(PrivilegeMode.Supervisor, 0, Lw(T1, 0, T0));
        h[T0] = va;
        var e = h.RunToException();
        Assert.Equal(ExcCode.AdEL, e.Code);
        Assert.Equal(va, e.BadVAddr);
    }

    [Fact]
    public void Supervisor_mode_reaches_sseg_and_suseg()
    {
        using var h = InMode(PrivilegeMode.Supervisor, 0, Lw(T1, 0x10, T0), Lw(T2, 0x10, T3), Sw(T2, 0x14, T0));
        h[T0] = 0xC0000000;
        h[T3] = CpuHarness.UserData;
        h.RunToBreak();
        Assert.Equal(0x5E550000u, h[T1]);
        Assert.Equal(0x05E60000u, h[T2]);
        Assert.Equal(0x05E60000u, h.Read32(0x00300014));
    }

    [Fact]
    public void Supervisor_mode_may_execute_from_sseg()
    {
        using var h = InMode(PrivilegeMode.Supervisor, 0, Jr(T0), Nop);
        h[T0] = 0xC0000100;
        h.Place(0x00300100, Addiu(S0, Zero, 77), Break());
        Assert.Equal(0xC0000104u, h.RunToBreak());
        Assert.Equal(77u, h[S0]);
    }

    [Fact]
    public void Supervisor_mode_store_to_kseg0_raises_AdES()
    {
        using var h = InMode(PrivilegeMode.Supervisor, 0, Sw(T1, 0, T0));
        h[T0] = 0x80000010;
        Assert.Equal(ExcCode.AdES, h.RunToException().Code);
    }

    [Fact]
    public void Kernel_mode_reaches_every_segment()
    {
        using var h = InMode(PrivilegeMode.Kernel, 0,
            Lw(S0, 0x10, T0), Lw(S1, 0x10, T1), Lw(S2, 0x10, T2), Lw(S3, 0x10, T3), Lw(S4, 0x10, T4));
        h[T0] = 0x80000000;
        h[T1] = 0xA0000000;
        h[T2] = 0xC0000000;
        h[T3] = 0xE0000000;
        h[T4] = CpuHarness.UserData;
        h.RunToBreak();
        Assert.Equal(0x0C5E0000u, h[S0]);
        Assert.Equal(0x0C5E0000u, h[S1]);
        Assert.Equal(0x5E550000u, h[S2]);
        Assert.Equal(0x3E530000u, h[S3]);
        Assert.Equal(0x05E60000u, h[S4]);
    }

    [Fact]
    public void Exl_makes_a_user_KSU_kernel_mode()
    {
        using var h = InMode(PrivilegeMode.User, StatusBits.EXL, Lw(S0, 0x10, T0));
        h[T0] = 0x80000000;
        h.RunToBreak();
        Assert.Equal(PrivilegeMode.Kernel, h.Core.Mode);
        Assert.Equal(0x0C5E0000u, h[S0]);
    }

    [Fact]
    public void Erl_makes_a_supervisor_KSU_kernel_mode()
    {
        using var h = new CpuHarness();
        h.Write32(0x00000010, 0x0C5E0000);
        h.SetStatus(PrivilegeMode.Supervisor, StatusBits.ERL);
        Assert.Equal(PrivilegeMode.Kernel, h.Core.Mode);
        h[T0] = 0x80000000;
        h.Execute(Lw(S0, 0x10, T0));
        Assert.Equal(0x0C5E0000u, h[S0]);
    }

    [Fact]
    public void Erl_makes_kuseg_an_unmapped_identity_window()
    {
        using var h = new CpuHarness();
        h.Write32(0x00020000, 0x1D3A7173);
        h.MapPair(1, 0x00020000, 0x00300000); // must be ignored while ERL = 1
        h.SetStatus(PrivilegeMode.Kernel, StatusBits.ERL);
        h[T0] = 0x00020000;
        h[T1] = 0x0BADF00D;
        h.Execute(Lw(S0, 0, T0), Sw(T1, 4, T0));
        Assert.Equal(0x1D3A7173u, h[S0]);
        Assert.Equal(0x0BADF00Du, h.Read32(0x00020004));
        Assert.Equal(0u, h.Read32(0x00300004));
    }

    [Fact]
    public void Erl_unmapped_kuseg_needs_no_tlb_entry_even_for_fetch()
    {
        using var h = new CpuHarness();
        h.Place(0x00030000, Addiu(S0, Zero, 5), Break());
        h.SetStatus(PrivilegeMode.Kernel, StatusBits.ERL);
        h.Core.Jump(0x00030000);
        Assert.Equal(0x00030004u, h.RunToBreak());
        Assert.Equal(5u, h[S0]);
    }

    [Fact]
    public void Leaving_erl_maps_kuseg_through_the_tlb_again()
    {
        using var h = new CpuHarness();
        h.Write32(0x00020000, 0x1D3A7173);
        h.Write32(0x00300000, 0x7AB1E000);
        h.MapPair(1, 0x00020000, 0x00300000);
        h[T0] = 0x00020000;
        h[T1] = StatusBits.ERL;
        h.Execute(Mtc0(T1, Cp0.Status), Lw(S0, 0, T0), Mtc0(Zero, Cp0.Status), Lw(S1, 0, T0));
        Assert.Equal(0x1D3A7173u, h[S0]);
        Assert.Equal(0x7AB1E000u, h[S1]);
    }

    [Fact]
    public void Host_delivered_address_error_changes_no_CP0_state()
    {
        using var h = InMode(PrivilegeMode.User, 0, Lw(T1, 0, T0));
        h[T0] = 0x80000000;
        uint status = h.Cp0.Status;
        h.RunToException();
        Assert.Equal(status, h.Cp0.Status);
        Assert.Equal(0u, h.Cp0.BadVAddr);
    }

    [Fact]
    public void Native_address_error_from_user_mode_enters_kernel_mode_at_the_general_vector()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.EnterUserMode(Nop, Sw(T1, 0, T0));
        h[T0] = 0xC0001234;
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal((uint)ExcCode.AdES, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(0xC0001234u, h.Cp0.BadVAddr);
        Assert.Equal(CpuHarness.UserCode + 4, h.Cp0.EPC);
        Assert.Equal(PrivilegeMode.Kernel, h.Core.Mode);
        Assert.Equal(2u << StatusBits.KsuShift, h.Cp0.Status & StatusBits.KsuMask); // KSU is kept
    }
}
