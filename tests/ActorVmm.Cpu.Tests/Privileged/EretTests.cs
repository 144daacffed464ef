using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// ERET (Volume II): with ERL = 1 it returns to ErrorEPC and clears ERL, otherwise to EPC and
/// clears EXL; it has no delay slot, and it clears the LL bit so that an SC after an
/// exception return fails.
/// </summary>
public sealed class EretTests
{
    private const uint Code = CpuHarness.CodeBase;

    [Fact]
    public void Eret_from_EXL_returns_to_EPC_and_clears_EXL_without_a_delay_slot()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x100;
        h.Place(CpuHarness.Phys(target), Addiu(S2, S2, 1), Break());
        h.SetStatus(PrivilegeMode.Kernel, StatusBits.EXL);
        h.WriteCp0(Cp0Register.EPC, target);
        h.Load(Eret, Addiu(S0, S0, 1), Break());
        Assert.Equal(target + 4, h.RunToBreak());
        Assert.Equal(0u, h[S0]); // the word after ERET is not a delay slot
        Assert.Equal(1u, h[S2]);
        Assert.Equal(0u, h.Cp0.Status & StatusBits.EXL);
    }

    [Fact]
    public void Eret_from_ERL_returns_to_ErrorEPC_and_clears_only_ERL()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x200;
        h.Place(CpuHarness.Phys(target), Break());
        h.SetStatus(PrivilegeMode.Kernel, StatusBits.ERL | StatusBits.EXL);
        h.WriteCp0(Cp0Register.EPC, Code + 0x300);
        h.WriteCp0(Cp0Register.ErrorEPC, target);
        h.Load(Eret);
        Assert.Equal(target, h.RunToBreak());
        Assert.Equal(0u, h.Cp0.Status & StatusBits.ERL);
        Assert.NotEqual(0u, h.Cp0.Status & StatusBits.EXL);
    }

    [Fact]
    public void Eret_clears_the_LL_bit_so_a_following_sc_fails()
    {
        using var h = new CpuHarness();
        uint target = Code + 0x100;
        h.Place(CpuHarness.Phys(target), Sc(T2, 0, T0), Break());
        h[T0] = CpuHarness.DataBase;
        h[T2] = 0x77777777;
        h.SetStatus(PrivilegeMode.Kernel, StatusBits.EXL);
        h.WriteCp0(Cp0Register.EPC, target);
        h.Load(Ll(T1, 0, T0), Eret);
        h.RunToBreak();
        Assert.False(h.Core.LLBit);
        Assert.Equal(0u, h[T2]);
        Assert.Equal(0u, h.Read32(CpuHarness.DataPhys));
    }

    [Fact]
    public void Eret_to_user_mode_drops_privilege()
    {
        using var h = new CpuHarness();
        h.MapPair(0, CpuHarness.UserCode, CpuHarness.UserCodePhys);
        h.Place(CpuHarness.UserCodePhys, Addiu(S0, Zero, 1), Mfc0(T0, Cp0.Status), Break());
        h.SetStatus(PrivilegeMode.User, StatusBits.EXL);
        h.WriteCp0(Cp0Register.EPC, CpuHarness.UserCode);
        h.Load(Eret);
        var e = h.RunToException();
        Assert.Equal(ExcCode.CpU, e.Code);
        Assert.Equal(CpuHarness.UserCode + 4, e.Pc);
        Assert.Equal(PrivilegeMode.User, h.Core.Mode);
        Assert.Equal(1u, h[S0]);
    }

    [Fact]
    public void Eret_to_supervisor_mode_reaches_sseg_but_not_kseg0()
    {
        using var h = new CpuHarness();
        h.MapPair(0, 0xC0000000, 0x00300000);
        h.Place(0x00300000, Lw(T0, 0, T1), Break());
        h[T1] = 0x80000000;
        h.SetStatus(PrivilegeMode.Supervisor, StatusBits.EXL);
        h.WriteCp0(Cp0Register.EPC, 0xC0000000);
        h.Load(Eret);
        var e = h.RunToException();
        Assert.Equal(ExcCode.AdEL, e.Code);
        Assert.Equal(0xC0000000u, e.Pc);
        Assert.Equal(PrivilegeMode.Supervisor, h.Core.Mode);
    }

    [Fact]
    public void Eret_counts_as_one_retired_instruction()
    {
        using var h = new CpuHarness();
        h.SetStatus(PrivilegeMode.Kernel, StatusBits.EXL);
        h.WriteCp0(Cp0Register.EPC, Code + 0x40);
        h.Place(CpuHarness.Phys(Code + 0x40), Break());
        h.WriteCp0(Cp0Register.Count, 0);
        h.Load(Eret);
        h.RunToBreak();
        Assert.Equal(1L, h.Core.Retired);
        Assert.Equal(1u, h.Cp0.Count);
    }

    [Fact]
    public void Native_exception_then_eret_round_trip_resumes_after_the_syscall()
    {
        // A handler at EBase + 0x180 that skips the faulting instruction: the classic
        // syscall return path (mfc0 k0, EPC; addiu k0, 4; mtc0 k0, EPC; eret).
        using var h = new CpuHarness(DeliveryMode.Native);
        h.Place(0x180, Mfc0(K0, Cp0.EPC), Addiu(K0, K0, 4), Mtc0(K0, Cp0.EPC), Addiu(K1, K1, 1), Eret);
        h.Place(0x000, Asm.Wait);
        h.SetStatus(PrivilegeMode.Kernel);
        h.Load(Addiu(S0, S0, 1), Syscall(), Addiu(S0, S0, 1), Syscall(), Addiu(S0, S0, 1), Asm.Wait);
        var r = h.Run(1000);
        Assert.Equal(ExitKind.Wait, r.Kind);
        Assert.Equal(Code + 24, h.Core.Pc);
        Assert.Equal(3u, h[S0]);
        Assert.Equal(2u, h[K1]);
        Assert.Equal(0u, h.Cp0.Status & StatusBits.EXL);
        Assert.Equal(2L, h.Core.ExceptionsDelivered(ExcCode.Sys));
    }
}
