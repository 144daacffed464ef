using ActorVmm.Cpu.Tests.Instructions;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Privileged;

/// <summary>
/// TLB exceptions as the PRA describes them: TLB Refill (no matching entry) to EBase + 0x000
/// only when EXL = 0, otherwise to + 0x180 with EPC and BD left alone; TLB Invalid (V = 0) and
/// TLB Modified (store with D = 0) to + 0x180; and on each, BadVAddr = the address,
/// Context.BadVPN2 = VA[31:13] with PTEBase kept, EntryHi.VPN2 = VA[31:13] with ASID kept.
/// </summary>
public sealed class TlbExceptionTests
{
    private const uint Code = CpuHarness.CodeBase;
    private const uint Refill = 0x80000000;
    private const uint General = 0x80000180;
    private const uint Va = 0x00402468;
    private const uint Asid = 0x5A;

    private static CpuHarness Native(uint statusExtra = 0)
    {
        var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel, statusExtra);
        h.WriteCp0(Cp0Register.EntryHi, Asid);
        h.WriteCp0(Cp0Register.Context, 0xFF800000);
        return h;
    }

    private static void AssertTlbRegisters(CpuHarness h, uint va)
    {
        Assert.Equal(va, h.Cp0.BadVAddr);
        Assert.Equal(0xFF800000u | ((va >> 13) << 4), h.Cp0.Context);
        Assert.Equal((va & 0xFFFFE000) | Asid, h.Cp0.EntryHi);
    }

    [Fact]
    public void Load_refill_with_EXL_clear_goes_to_the_refill_vector()
    {
        using var h = Native();
        h[T1] = Va;
        h.Load(Nop, Lw(T0, 0, T1));
        Assert.Equal(Refill, h.RunToVector());
        Assert.Equal(Code + 4, h.Cp0.EPC);
        Assert.Equal((uint)ExcCode.TlbL, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.NotEqual(0u, h.Cp0.Status & StatusBits.EXL);
        AssertTlbRegisters(h, Va);
    }

    [Fact]
    public void Store_refill_is_TlbS()
    {
        using var h = Native();
        h[T1] = 0x7FFFF000;
        h.Load(Sb(T0, 0xFFF, T1));
        Assert.Equal(Refill, h.RunToVector());
        Assert.Equal((uint)ExcCode.TlbS, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        AssertTlbRegisters(h, 0x7FFFFFFF);
    }

    [Fact]
    public void Fetch_refill_reports_the_target_as_EPC_and_BadVAddr()
    {
        using var h = Native();
        h[T9] = 0x00600000;
        h.Load(Jr(T9), Nop);
        Assert.Equal(Refill, h.RunToVector());
        Assert.Equal(0x00600000u, h.Cp0.EPC);
        Assert.Equal(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.Equal((uint)ExcCode.TlbL, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        AssertTlbRegisters(h, 0x00600000);
    }

    [Fact]
    public void Refill_with_EXL_set_goes_to_the_general_vector_and_keeps_EPC_and_BD()
    {
        using var h = Native(StatusBits.EXL);
        h.Core.Cp0.EPC = 0x12345678;
        h.Core.Cp0.Cause |= CauseBits.BD;
        h[T1] = Va;
        h.Load(Nop, Nop, Lw(T0, 0, T1));
        Assert.Equal(General, h.RunToVector());
        Assert.Equal(0x12345678u, h.Cp0.EPC);
        Assert.NotEqual(0u, h.Cp0.Cause & CauseBits.BD);
        Assert.Equal((uint)ExcCode.TlbL, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        AssertTlbRegisters(h, Va);
    }

    [Fact]
    public void Refill_with_EXL_set_in_a_delay_slot_still_keeps_EPC_and_BD_clear()
    {
        using var h = Native(StatusBits.EXL);
        h.Core.Cp0.EPC = 0x0BADC0DE;
        h[T1] = Va;
        h.Load(B(5), Lw(T0, 0, T1));
        Assert.Equal(General, h.RunToVector());
        Assert.Equal(0x0BADC0DEu, h.Cp0.EPC);
        Assert.Equal(0u, h.Cp0.Cause & CauseBits.BD);
    }

    [Fact]
    public void Invalid_entry_goes_to_the_general_vector_as_TlbL()
    {
        using var h = Native();
        h.SetTlb(9, CpuHarness.Hi(Va, Asid), CpuHarness.Lo(0x00100000, valid: false), CpuHarness.Lo(0x00101000, valid: false));
        h[T1] = Va;
        h.Load(Lw(T0, 0, T1));
        Assert.Equal(General, h.RunToVector());
        Assert.Equal((uint)ExcCode.TlbL, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(Code, h.Cp0.EPC);
        AssertTlbRegisters(h, Va);
    }

    [Fact]
    public void Invalid_entry_on_a_store_is_TlbS()
    {
        using var h = Native();
        h.SetTlb(9, CpuHarness.Hi(Va, Asid), CpuHarness.Lo(0x00100000, valid: false), CpuHarness.Lo(0x00101000, valid: false));
        h[T1] = Va;
        h.Load(Sw(T0, 0, T1));
        Assert.Equal(General, h.RunToVector());
        Assert.Equal((uint)ExcCode.TlbS, CpuHarness.ExcCodeOf(h.Cp0.Cause));
    }

    [Fact]
    public void Only_the_odd_page_invalid_faults_only_on_the_odd_page()
    {
        using var h = Native();
        // Va 0x00402468 has bit 12 clear: the even page of the pair at 0x00402000.
        h.SetTlb(9, CpuHarness.Hi(0x00402000, Asid), CpuHarness.Lo(0x00100000), CpuHarness.Lo(0x00101000, valid: false));
        h.Write32(0x00100468, 0xABCD0123);
        h[T1] = 0x00402468;
        h.Load(Lw(T0, 0, T1), Lw(T2, 0x1000, T1));
        Assert.Equal(General, h.RunToVector());
        Assert.Equal(0xABCD0123u, h[T0]);
        Assert.Equal(0x00403468u, h.Cp0.BadVAddr);
        Assert.Equal(Code + 4, h.Cp0.EPC);
    }

    [Fact]
    public void Store_to_a_clean_page_raises_Mod_and_stores_nothing()
    {
        using var h = Native();
        h.SetTlb(9, CpuHarness.Hi(Va, Asid), CpuHarness.Lo(0x00100000, dirty: false), CpuHarness.Lo(0x00101000, dirty: false));
        h.Write32(0x00100468, 0x11111111);
        h[T1] = Va;
        h[T2] = 0x22222222;
        h.Load(Lw(T0, 0, T1), Sw(T2, 0, T1));
        Assert.Equal(General, h.RunToVector());
        Assert.Equal(0x11111111u, h[T0]); // loads from a clean page are fine
        Assert.Equal((uint)ExcCode.Mod, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(Code + 4, h.Cp0.EPC);
        Assert.Equal(0x11111111u, h.Read32(0x00100468));
        AssertTlbRegisters(h, Va);
    }

    [Theory]
    [InlineData(0x28u)] // SB
    [InlineData(0x29u)] // SH
    [InlineData(0x2Au)] // SWL
    [InlineData(0x2Eu)] // SWR
    [InlineData(0x38u)] // SC (after LL)
    public void Every_store_kind_to_a_clean_page_raises_Mod(uint opcode)
    {
        using var h = Native();
        h.SetTlb(9, CpuHarness.Hi(Va, Asid), CpuHarness.Lo(0x00100000, dirty: false), CpuHarness.Lo(0x00101000, dirty: false));
        h[T1] = Va & ~3u;
        h.Core.LLBit = true;
        h.Load((opcode << 26) | (T1 << 21) | (T2 << 16));
        Assert.Equal(General, h.RunToVector());
        Assert.Equal((uint)ExcCode.Mod, CpuHarness.ExcCodeOf(h.Cp0.Cause));
    }

    [Fact]
    public void Host_delivery_distinguishes_refill_from_invalid()
    {
        using var h = new CpuHarness();
        h.SetTlb(9, CpuHarness.Hi(0x00500000), CpuHarness.Lo(0x00100000, valid: false, global: true), CpuHarness.Lo(0x00101000, valid: false, global: true));
        h[T1] = 0x00500010;
        h[T2] = 0x00700010;
        h.Load(Lw(T0, 0, T1));
        var invalid = h.RunToException();
        Assert.Equal(ExcCode.TlbL, invalid.Code);
        Assert.False(invalid.IsTlbRefill);
        Assert.Equal(0x00500010u, invalid.BadVAddr);

        h.Load(Sw(T0, 0, T2));
        var refill = h.RunToException();
        Assert.Equal(ExcCode.TlbS, refill.Code);
        Assert.True(refill.IsTlbRefill);
        Assert.Equal(0x00700010u, refill.BadVAddr);
        Assert.Equal(0u, h.Cp0.BadVAddr); // host delivery leaves CP0 to the host
    }

    [Fact]
    public void Host_delivery_reports_Mod()
    {
        using var h = new CpuHarness();
        h.MapPair(9, 0x00500000, 0x00100000, dirty: false);
        h[T1] = 0x00500004;
        h.Load(Sh(T0, 2, T1));
        var e = h.RunToException();
        Assert.Equal(ExcCode.Mod, e.Code);
        Assert.Equal(0x00500006u, e.BadVAddr);
    }

    [Fact]
    public void Context_keeps_PTEBase_and_takes_VPN2_at_bits_22_to_4()
    {
        using var h = Native();
        h.WriteCp0(Cp0Register.Context, 0xA5800000);
        h[T1] = 0x7FFFE000;
        h.Load(Lw(T0, 0, T1));
        Assert.Equal(Refill, h.RunToVector());
        Assert.Equal(0xA5800000u | 0x003FFFF0u, h.Cp0.Context); // VA[31:13] = 0x3FFFF

        h.SetStatus(PrivilegeMode.Kernel);
        h[T1] = 0xFFFFE000; // kseg3: VA[31:13] = 0x7FFFF fills BadVPN2 completely
        h.Load(Lw(T0, 0, T1));
        Assert.Equal(Refill, h.RunToVector());
        Assert.Equal(0xA5800000u | 0x007FFFF0u, h.Cp0.Context);
    }

    [Fact]
    public void Kseg3_and_ksseg_refills_in_kernel_mode_use_the_refill_vector_too()
    {
        using var h = Native();
        h[T1] = 0xE0001000;
        h.Load(Lw(T0, 0, T1));
        Assert.Equal(Refill, h.RunToVector());
        Assert.Equal(0xE0001000u, h.Cp0.BadVAddr);
        Assert.Equal(0xE0000000u | Asid, h.Cp0.EntryHi);

        h.SetStatus(PrivilegeMode.Kernel);
        h[T1] = 0xC0FF0000;
        h.Load(Lw(T0, 0, T1));
        Assert.Equal(Refill, h.RunToVector());
        Assert.Equal(0xC0FF0000u, h.Cp0.BadVAddr);
    }

    [Fact]
    public void Vectors_follow_EBase()
    {
        using var h = Native();
        h.WriteCp0(Cp0Register.EBase, 0x80040000);
        h.InstallVectorStops(0x80040000);
        h[T1] = Va;
        h.Load(Lw(T0, 0, T1));
        Assert.Equal(0x80040000u, h.RunToVector());

        h.SetStatus(PrivilegeMode.Kernel);
        h.Load(Syscall());
        Assert.Equal(0x80040180u, h.RunToVector());
    }

    [Fact]
    public void With_the_write_gate_EBase_may_put_the_vectors_in_mapped_ksseg()
    {
        using var h = Native();
        h.WriteCp0(Cp0Register.EBase, 0xC0000000 | Cp0State.EBaseWriteGate);
        h.MapPair(20, 0xC0000000, 0x00300000);
        h.Place(0x00300180, Asm.Wait);
        h.Load(Syscall());
        Assert.Equal(0xC0000180u, h.RunToVector());
        Assert.Equal(Code, h.Cp0.EPC);
    }

    [Fact]
    public void Bev_moves_the_refill_vector_to_0xBFC00200()
    {
        using var h = new CpuHarness(DeliveryMode.Native, ramSize: 0x20000000);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel, StatusBits.BEV);
        h[T1] = Va;
        h.Load(Lw(T0, 0, T1));
        Assert.Equal(0xBFC00200u, h.RunToVector());
        Assert.Equal((uint)ExcCode.TlbL, CpuHarness.ExcCodeOf(h.Cp0.Cause));
    }

    [Fact]
    public void Bev_moves_the_general_vector_to_0xBFC00380()
    {
        using var h = new CpuHarness(DeliveryMode.Native, ramSize: 0x20000000);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel, StatusBits.BEV);
        h.Load(Nop, Syscall());
        Assert.Equal(0xBFC00380u, h.RunToVector());
        Assert.Equal(Code + 4, h.Cp0.EPC);
    }

    [Fact]
    public void The_reset_state_has_BEV_set()
    {
        using var h = new CpuHarness(DeliveryMode.Native, ramSize: 0x20000000);
        h.InstallVectorStops();
        Assert.NotEqual(0u, h.Cp0.Status & StatusBits.BEV);
        h.Load(Syscall());
        Assert.Equal(0xBFC00380u, h.RunToVector());
    }
}
