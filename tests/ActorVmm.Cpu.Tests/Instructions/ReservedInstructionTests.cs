using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// Encodings a MIPS32 Release 2 CPU without FPU, MIPS16, microMIPS, MDMX, DSP or EJTAG does
/// not implement raise Reserved Instruction, with nothing changed; the absent coprocessors
/// raise Coprocessor Unusable with Cause.CE naming the unit, even in kernel mode. The
/// "no-op" instructions (SYNC, PREF, SYNCI, CACHE in kernel mode) must not fault.
/// </summary>
public sealed class ReservedInstructionTests
{
    private static GuestException Fault(uint insn)
    {
        using var h = new CpuHarness();
        for (int r = 1; r < 32; r++)
        {
            h[r] = 0x01010101u * (uint)r;
        }

        h.Load(insn, Break());
        var e = h.RunToException();
        Assert.Equal(CpuHarness.CodeBase, e.Pc);
        Assert.Equal(insn, e.Instruction);
        Assert.Equal(0L, h.Core.Retired);
        for (int r = 1; r < 32; r++)
        {
            Assert.Equal(0x01010101u * (uint)r, h[r]);
        }

        return e;
    }

    public static TheoryData<uint, string> ReservedEncodings => new()
    {
        // 64-bit and other non-MIPS32 major opcodes
        { 0x61090004, "daddi" },
        { 0x65090004, "daddiu" },
        { 0x69090000, "ldl" },
        { 0x6D090000, "ldr" },
        { 0x74000000, "jalx" },
        { 0x78000000, "MDMX / MSA opcode 0x1E" },
        { 0x9D090000, "lwu" },
        { 0xB1090000, "sdl" },
        { 0xB5090000, "sdr" },
        { 0xD1090000, "lld" },
        { 0xDD090000, "ld" },
        { 0xEC000000, "opcode 0x3B" },
        { 0xF1090000, "scd" },
        { 0xFD090000, "sd" },
        // SPECIAL functions
        { 0x01095005, "SPECIAL funct 0x05" },
        { 0x0109500E, "SPECIAL funct 0x0E" },
        { 0x01095014, "dsllv" },
        { 0x01095016, "dsrlv" },
        { 0x01095017, "dsrav" },
        { 0x0109001C, "dmult" },
        { 0x0109001D, "dmultu" },
        { 0x0109001E, "ddiv" },
        { 0x0109001F, "ddivu" },
        { 0x01095028, "SPECIAL funct 0x28" },
        { 0x01095029, "SPECIAL funct 0x29" },
        { 0x0109502C, "dadd" },
        { 0x0109502D, "daddu" },
        { 0x0109502E, "dsub" },
        { 0x0109502F, "dsubu" },
        { 0x01090035, "SPECIAL funct 0x35" },
        { 0x01090037, "SPECIAL funct 0x37" },
        { 0x00095038, "dsll" },
        { 0x0009503A, "dsrl" },
        { 0x0009503B, "dsra" },
        { 0x0009503C, "dsll32" },
        { 0x0009503E, "dsrl32" },
        { 0x0009503F, "dsra32" },
        // REGIMM rt codes
        { 0x05040001, "REGIMM rt 0x04" },
        { 0x05050001, "REGIMM rt 0x05" },
        { 0x050D0001, "REGIMM rt 0x0D" },
        { 0x050F0001, "REGIMM rt 0x0F" },
        { 0x05140001, "REGIMM rt 0x14" },
        { 0x051C0001, "REGIMM rt 0x1C" },
        // SPECIAL2 functions
        { 0x71095003, "SPECIAL2 funct 0x03" },
        { 0x71095006, "SPECIAL2 funct 0x06" },
        { 0x710A5024, "dclz" },
        { 0x710A5025, "dclo" },
        { 0x7000003F, "sdbbp (no EJTAG)" },
        // SPECIAL3 functions
        { 0x7D0A0001, "dextm" },
        { 0x7D0A0002, "dextu" },
        { 0x7D0A0003, "dext" },
        { 0x7D0A0005, "dinsm" },
        { 0x7D0A0006, "dinsu" },
        { 0x7D0A0007, "dins" },
        { 0x7C085020, "BSHFL sa 0 (bitswap in R6)" },
        { 0x7C0850E0, "BSHFL sa 3" },
        { 0x7C0850A4, "dsbh" },
        { 0x7C085164, "dshd" },
        { 0x7C085010, "SPECIAL3 funct 0x10" },
        // RDHWR of registers that do not exist, in kernel mode
        { 0x7C08203B, "rdhwr $4" },
        { 0x7C08E83B, "rdhwr $29 (ULR, Config3.ULRI = 0)" },
        { 0x7C08F83B, "rdhwr $31" },
        // COP0
        { 0x40280000, "dmfc0" },
        { 0x40A80000, "dmtc0" },
        { 0x42000003, "COP0 CO function 0x03" },
        { 0x42000010, "COP0 CO function 0x10" },
        { Deret, "deret (no EJTAG, never in Debug Mode)" },
    };

    [Theory]
    [MemberData(nameof(ReservedEncodings))]
    public void Unimplemented_encodings_raise_RI_and_change_nothing(uint insn, string what)
    {
        var e = Fault(insn);
        Assert.True(e.Code == ExcCode.RI, $"{what} (0x{insn:X8}): expected RI, got {e}");
    }

    public static TheoryData<uint, string> Cop1Encodings => new()
    {
        { Mfc1(T1, 2), "mfc1" },
        { 0x44C9F800, "ctc1 $9, $31" },
        { 0x46020000, "add.s" },
        { Lwc1(2, 4, T0), "lwc1" },
        { Swc1(2, 4, T0), "swc1" },
        { Ldc1(2, 8, T0), "ldc1" },
        { Sdc1(2, 8, T0), "sdc1" },
        { Lwxc1F0, "lwxc1 (COP1X)" },
        { Movf(T2, T1), "movf" },
        { Movt(T2, T1, 3), "movt" },
    };

    [Theory]
    [MemberData(nameof(Cop1Encodings))]
    public void Fpu_instructions_raise_CpU_for_unit_1_even_in_kernel_mode(uint insn, string what)
    {
        var e = Fault(insn);
        Assert.True(e.Code == ExcCode.CpU, $"{what}: expected CpU, got {e}");
        Assert.Equal(1, e.CoprocessorUnit);
    }

    public static TheoryData<uint, string> Cop2Encodings => new()
    {
        { Mfc2(T1, 3), "mfc2" },
        { Lwc2(T1, 4, T0), "lwc2" },
        { Swc2(T1, 4, T0), "swc2" },
        { 0xD9090000, "ldc2" },
        { 0xF9090000, "sdc2" },
    };

    [Theory]
    [MemberData(nameof(Cop2Encodings))]
    public void Cop2_instructions_raise_CpU_for_unit_2(uint insn, string what)
    {
        var e = Fault(insn);
        Assert.True(e.Code == ExcCode.CpU, $"{what}: expected CpU, got {e}");
        Assert.Equal(2, e.CoprocessorUnit);
    }

    [Fact]
    public void Cop1_stays_unusable_after_software_tries_to_set_Status_CU1()
    {
        using var h = new CpuHarness();
        h[T0] = StatusBits.CU1 | StatusBits.CU0;
        h.Load(Mtc0(T0, Cp0.Status), Mfc0(T1, Cp0.Status), Mfc1(T2, 0), Break());
        var e = h.RunToException();
        Assert.Equal(ExcCode.CpU, e.Code);
        Assert.Equal(1, e.CoprocessorUnit);
        Assert.Equal(0u, h[T1] & StatusBits.CU1);
    }

    [Fact]
    public void Cop1_natively_sets_Cause_CE_to_1()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel);
        h.Load(Lwc1(0, 0, Zero));
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal((uint)ExcCode.CpU, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(1u, (h.Cp0.Cause & CauseBits.CEMask) >> CauseBits.CEShift);
        Assert.Equal(CpuHarness.CodeBase, h.Cp0.EPC);
    }

    [Fact]
    public void Cop2_natively_sets_Cause_CE_to_2()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel);
        h.Load(Mfc2(T0, 0));
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal(2u, (h.Cp0.Cause & CauseBits.CEMask) >> CauseBits.CEShift);
    }

    [Fact]
    public void Reserved_instruction_natively_goes_to_the_general_vector()
    {
        using var h = new CpuHarness(DeliveryMode.Native);
        h.InstallVectorStops();
        h.SetStatus(PrivilegeMode.Kernel);
        h.Load(Nop, 0xDD090000);
        Assert.Equal(0x80000180u, h.RunToVector());
        Assert.Equal((uint)ExcCode.RI, CpuHarness.ExcCodeOf(h.Cp0.Cause));
        Assert.Equal(CpuHarness.CodeBase + 4, h.Cp0.EPC);
    }

    // ---- instructions that must not fault ----------------------------------------------------

    [Fact]
    public void Sync_pref_synci_and_kernel_cache_are_no_ops()
    {
        using var h = new CpuHarness();
        h[T0] = CpuHarness.DataBase;
        h.Execute(Sync(), Sync(0x10), Pref(0, 0, T0), Pref(30, 1, T0), Synci(0, T0), Cache(0x14, 0, T0), Cache(0x01, 3, T0));
        Assert.Equal(7L, h.Core.Retired);
    }

    [Fact]
    public void Pref_to_an_unmapped_address_does_not_fault()
    {
        using var h = new CpuHarness();
        h[T0] = 0x00400000; // kuseg, no TLB entry
        h.Execute(Pref(0, 0, T0), Pref(1, 3, T0));
    }

    [Fact]
    public void Rdpgpr_and_wrpgpr_with_one_shadow_set_copy_between_current_registers()
    {
        using var h = new CpuHarness();
        h[T0] = 0x12345678;
        h[T1] = 0x9ABCDEF0;
        h.Execute(Rdpgpr(T2, T0), Wrpgpr(T3, T1));
        Assert.Equal(0x12345678u, h[T2]);
        Assert.Equal(0x9ABCDEF0u, h[T3]);
    }

    [Fact]
    public void Count_advances_once_per_retired_instruction()
    {
        using var h = new CpuHarness();
        h.WriteCp0(Cp0Register.Count, 1000);
        h.Execute(Nop, Nop, Nop, Addiu(T0, T0, 1), Nop);
        Assert.Equal(1005u, h.Cp0.Count);
        Assert.Equal(5L, h.Core.Retired);
    }

    [Fact]
    public void A_run_stops_exactly_at_its_budget()
    {
        using var h = new CpuHarness();
        h.Load(Addiu(T0, T0, 1), Addiu(T0, T0, 1), Addiu(T0, T0, 1), Addiu(T0, T0, 1), Break());
        var r = h.Run(3);
        Assert.Equal(ExitKind.BudgetExhausted, r.Kind);
        Assert.Equal(3L, r.Retired);
        Assert.Equal(3u, h[T0]);
        Assert.Equal(CpuHarness.CodeBase + 12, h.Core.Pc);
    }

    [Fact]
    public void A_run_ending_on_a_delay_slot_resumes_into_the_branch_target()
    {
        using var h = new CpuHarness();
        h.Load(Asm.B(3), Addiu(S0, S0, 1), Addiu(S1, S1, 1), Break(), Addiu(S2, S2, 1), Break());
        Assert.Equal(1L, h.Run(1).Retired);
        Assert.True(h.Core.InDelaySlot);
        Assert.Equal(CpuHarness.CodeBase + 4, h.Core.Pc);
        Assert.Equal(CpuHarness.CodeBase + 16, h.Core.NextPc);
        Assert.Equal(CpuHarness.CodeBase + 20, h.RunToBreak());
        Assert.Equal((1u, 0u, 1u), (h[S0], h[S1], h[S2]));
    }
}
