using ActorVmm.Cpu;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Decoding;

/// <summary>
/// The one decoder of COP0 and CACHE encodings, which the core, the monitor's emulator, the
/// trace and the trap tally all use: each operation, its operands, and the encodings the 24Kc
/// does not implement.
/// </summary>
public sealed class PrivilegedInstructionTests
{
    public static TheoryData<uint, PrivilegedOp, string> Encodings => new()
    {
        { Mfc0(T3, Cp0.Status), PrivilegedOp.Mfc0, "mfc0" },
        { Mtc0(T1, Cp0.EBase), PrivilegedOp.Mtc0, "mtc0" },
        { Tlbr, PrivilegedOp.Tlbr, "tlbr" },
        { Tlbwi, PrivilegedOp.Tlbwi, "tlbwi" },
        { Tlbwr, PrivilegedOp.Tlbwr, "tlbwr" },
        { Tlbp, PrivilegedOp.Tlbp, "tlbp" },
        { Eret, PrivilegedOp.Eret, "eret" },
        { Wait, PrivilegedOp.Wait, "wait" },
        { Di(T0), PrivilegedOp.Di, "di" },
        { Ei(T0), PrivilegedOp.Ei, "ei" },
        { Rdpgpr(T2, T0), PrivilegedOp.Rdpgpr, "rdpgpr" },
        { Wrpgpr(T3, T1), PrivilegedOp.Wrpgpr, "wrpgpr" },
        { 0xBC800000, PrivilegedOp.Cache, "cache" },
        { Deret, PrivilegedOp.Reserved, "cop0" },
        { 0x42000003, PrivilegedOp.Reserved, "cop0" },   // CO with an unassigned function
        { 0x41606001, PrivilegedOp.Reserved, "cop0" },   // MFMC0 with a non-zero sel field is not DI/EI
        { 0x40A00000, PrivilegedOp.Reserved, "cop0" },   // rs = 5: unassigned
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Decodes_each_operation_and_names_it_as_the_assembler_does(uint insn, PrivilegedOp op, string mnemonic)
    {
        var p = PrivilegedInstruction.Decode(insn);

        Assert.Equal(op, p.Op);
        Assert.Equal(mnemonic, p.Mnemonic);
        Assert.True(PrivilegedInstruction.IsPrivileged(insn));
    }

    [Fact]
    public void Mfc0_and_mtc0_name_the_gpr_and_the_cp0_register_with_its_select()
    {
        var read = PrivilegedInstruction.Decode(Mfc0(T3, Cp0.EBase)); // rd 15, sel 1
        Assert.Equal((T3, Cp0Register.EBase), (read.Rt, read.Register));

        var write = PrivilegedInstruction.Decode(Mtc0(S0, Cp0.Config1));
        Assert.Equal((S0, Cp0Register.Config1), (write.Rt, write.Register));
    }

    [Fact]
    public void Rdpgpr_names_rd_and_rt_and_di_names_rt()
    {
        var r = PrivilegedInstruction.Decode(Rdpgpr(T2, T0));
        Assert.Equal((T2, T0), (r.Rd, r.Rt));
        Assert.Equal(V0, PrivilegedInstruction.Decode(Di(V0)).Rt);
    }

    [Fact]
    public void Only_tlbr_and_tlbp_read_the_tlb_and_only_tlbwi_and_tlbwr_write_it()
    {
        Assert.True(PrivilegedInstruction.Decode(Tlbr).ReadsTlb);
        Assert.True(PrivilegedInstruction.Decode(Tlbp).ReadsTlb);
        Assert.True(PrivilegedInstruction.Decode(Tlbwi).WritesTlb);
        Assert.True(PrivilegedInstruction.Decode(Tlbwr).WritesTlb);
        foreach (uint insn in new[] { Mfc0(T0, Cp0.Status), Eret, Wait, Tlbr, Tlbp })
        {
            Assert.False(PrivilegedInstruction.Decode(insn).WritesTlb);
        }

        foreach (uint insn in new[] { Mtc0(T0, Cp0.EntryHi), Eret, Tlbwi, Tlbwr })
        {
            Assert.False(PrivilegedInstruction.Decode(insn).ReadsTlb);
        }
    }

    [Theory]
    [InlineData(0x8C820000u)] // lw
    [InlineData(0x0000000Cu)] // syscall
    [InlineData(0x46000000u)] // COP1
    public void Other_instructions_are_not_privileged(uint insn)
    {
        Assert.False(PrivilegedInstruction.IsPrivileged(insn));
        Assert.Equal(PrivilegedOp.Reserved, PrivilegedInstruction.Decode(insn).Op);
    }
}
