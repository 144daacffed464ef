using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// The test encoder against GNU as: every word below was produced once by
/// <c>mipsel-linux-gnu-as -mips32r2 -EL</c> (binutils 2.40) from the source text beside it
/// and copied here, so the tests never need the cross toolchain.
/// </summary>
public sealed class AsmEncodingTests
{
    public static TheoryData<string, uint, uint> Encodings => new()
    {
        { "sll $10,$9,7", 0x000951C0U, Sll(T2, T1, 7) },
        { "srl $10,$9,31", 0x000957C2U, Srl(T2, T1, 31) },
        { "rotr $10,$9,5", 0x00295142U, Rotr(T2, T1, 5) },
        { "sra $10,$9,1", 0x00095043U, Sra(T2, T1, 1) },
        { "sllv $10,$9,$8", 0x01095004U, Sllv(T2, T1, T0) },
        { "srlv $10,$9,$8", 0x01095006U, Srlv(T2, T1, T0) },
        { "rotrv $10,$9,$8", 0x01095046U, Rotrv(T2, T1, T0) },
        { "srav $10,$9,$8", 0x01095007U, Srav(T2, T1, T0) },
        { "ssnop", 0x00000040U, Ssnop },
        { "ehb", 0x000000C0U, Ehb },
        { "jr $31", 0x03E00008U, Jr(RA) },
        { "jr.hb $25", 0x03200408U, JrHb(T9) },
        { "jalr $25", 0x0320F809U, Jalr(T9) },
        { "jalr $10,$25", 0x03205009U, Jalr(T2, T9) },
        { "jalr.hb $10,$25", 0x03205409U, JalrHb(T2, T9) },
        { "movz $10,$9,$8", 0x0128500AU, Movz(T2, T1, T0) },
        { "movn $10,$9,$8", 0x0128500BU, Movn(T2, T1, T0) },
        { "syscall", 0x0000000CU, Syscall() },
        { "syscall 0x12345", 0x0048D14CU, Syscall(0x12345) },
        { "break", 0x0000000DU, Break() },
        { "break 7", 0x0007000DU, Break(7 << 10) },
        { "break 3,5", 0x0003014DU, Break((3 << 10) + 5) },
        { "sync", 0x0000000FU, Sync() },
        { "mfhi $10", 0x00005010U, Mfhi(T2) },
        { "mthi $10", 0x01400011U, Mthi(T2) },
        { "mflo $11", 0x00005812U, Mflo(T3) },
        { "mtlo $11", 0x01600013U, Mtlo(T3) },
        { "movf $10,$9,$fcc0", 0x01205001U, Movf(T2, T1) },
        { "movt $10,$9,$fcc3", 0x012D5001U, Movt(T2, T1, 3) },
        { "mult $8,$9", 0x01090018U, Mult(T0, T1) },
        { "multu $8,$9", 0x01090019U, Multu(T0, T1) },
        { "div $0,$8,$9", 0x0109001AU, Div(T0, T1) },
        { "divu $0,$8,$9", 0x0109001BU, Divu(T0, T1) },
        { "add $10,$8,$9", 0x01095020U, Add(T2, T0, T1) },
        { "addu $10,$8,$9", 0x01095021U, Addu(T2, T0, T1) },
        { "sub $10,$8,$9", 0x01095022U, Sub(T2, T0, T1) },
        { "subu $10,$8,$9", 0x01095023U, Subu(T2, T0, T1) },
        { "and $10,$8,$9", 0x01095024U, And(T2, T0, T1) },
        { "or $10,$8,$9", 0x01095025U, Or(T2, T0, T1) },
        { "xor $10,$8,$9", 0x01095026U, Xor(T2, T0, T1) },
        { "nor $10,$8,$9", 0x01095027U, Nor(T2, T0, T1) },
        { "slt $10,$8,$9", 0x0109502AU, Slt(T2, T0, T1) },
        { "sltu $10,$8,$9", 0x0109502BU, Sltu(T2, T0, T1) },
        { "tge $8,$9", 0x01090030U, Tge(T0, T1) },
        { "tgeu $8,$9,5", 0x01090171U, Tgeu(T0, T1, 5) },
        { "tlt $8,$9", 0x01090032U, Tlt(T0, T1) },
        { "tltu $8,$9", 0x01090033U, Tltu(T0, T1) },
        { "teq $8,$9,0x3ff", 0x0109FFF4U, Teq(T0, T1, 0x3FF) },
        { "tne $8,$9", 0x01090036U, Tne(T0, T1) },
        { "bltz $8,.+12", 0x05000002U, Bltz(T0, 2) },
        { "bgez $8,.-4", 0x0501FFFEU, Bgez(T0, -2) },
        { "bltzl $8,.+8", 0x05020001U, Bltzl(T0, 1) },
        { "bgezl $8,.+8", 0x05030001U, Bgezl(T0, 1) },
        { "tgei $8,-5", 0x0508FFFBU, Tgei(T0, -5) },
        { "tgeiu $8,100", 0x05090064U, Tgeiu(T0, 100) },
        { "tlti $8,-1", 0x050AFFFFU, Tlti(T0, -1) },
        { "tltiu $8,7", 0x050B0007U, Tltiu(T0, 7) },
        { "teqi $8,0", 0x050C0000U, Teqi(T0, 0) },
        { "tnei $8,0x7fff", 0x050E7FFFU, Tnei(T0, 0x7FFF) },
        { "bltzal $8,.+8", 0x05100001U, Bltzal(T0, 1) },
        { "bgezal $8,.+8", 0x05110001U, Bgezal(T0, 1) },
        { "bltzall $8,.+8", 0x05120001U, Bltzall(T0, 1) },
        { "bgezall $8,.+8", 0x05130001U, Bgezall(T0, 1) },
        { "bal .+16", 0x04110003U, Bal(3) },
        { "synci 16($8)", 0x051F0010U, Synci(16, T0) },
        { "beq $8,$9,.+8", 0x11090001U, Beq(T0, T1, 1) },
        { "bne $8,$9,.-8", 0x1509FFFDU, Bne(T0, T1, -3) },
        { "blez $8,.+8", 0x19000001U, Blez(T0, 1) },
        { "bgtz $8,.+8", 0x1D000001U, Bgtz(T0, 1) },
        { "beql $8,$9,.+8", 0x51090001U, Beql(T0, T1, 1) },
        { "bnel $8,$9,.+8", 0x55090001U, Bnel(T0, T1, 1) },
        { "blezl $8,.+8", 0x59000001U, Blezl(T0, 1) },
        { "bgtzl $8,.+8", 0x5D000001U, Bgtzl(T0, 1) },
        { "b .+0x20000", 0x10007FFFU, B(0x7FFF) },
        { "addi $9,$8,-32768", 0x21098000U, Addi(T1, T0, -32768) },
        { "addiu $9,$8,32767", 0x25097FFFU, Addiu(T1, T0, 32767) },
        { "slti $9,$8,-1", 0x2909FFFFU, Slti(T1, T0, -1) },
        { "sltiu $9,$8,-1", 0x2D09FFFFU, Sltiu(T1, T0, -1) },
        { "andi $9,$8,0xffff", 0x3109FFFFU, Andi(T1, T0, 0xFFFF) },
        { "ori $9,$8,0x8000", 0x35098000U, Ori(T1, T0, 0x8000) },
        { "xori $9,$8,0x1234", 0x39091234U, Xori(T1, T0, 0x1234) },
        { "lui $9,0xdead", 0x3C09DEADU, Lui(T1, 0xDEAD) },
        { "lb $9,-1($8)", 0x8109FFFFU, Lb(T1, -1, T0) },
        { "lh $9,2($8)", 0x85090002U, Lh(T1, 2, T0) },
        { "lwl $9,3($8)", 0x89090003U, Lwl(T1, 3, T0) },
        { "lw $9,-4($8)", 0x8D09FFFCU, Lw(T1, -4, T0) },
        { "lbu $9,1($8)", 0x91090001U, Lbu(T1, 1, T0) },
        { "lhu $9,6($8)", 0x95090006U, Lhu(T1, 6, T0) },
        { "lwr $9,0($8)", 0x99090000U, Lwr(T1, 0, T0) },
        { "sb $9,1($8)", 0xA1090001U, Sb(T1, 1, T0) },
        { "sh $9,2($8)", 0xA5090002U, Sh(T1, 2, T0) },
        { "swl $9,3($8)", 0xA9090003U, Swl(T1, 3, T0) },
        { "sw $9,8($8)", 0xAD090008U, Sw(T1, 8, T0) },
        { "swr $9,0($8)", 0xB9090000U, Swr(T1, 0, T0) },
        { "cache 0x14,0($8)", 0xBD140000U, Cache(0x14, 0, T0) },
        { "ll $9,4($8)", 0xC1090004U, Ll(T1, 4, T0) },
        { "pref 5,8($8)", 0xCD050008U, Pref(5, 8, T0) },
        { "sc $9,4($8)", 0xE1090004U, Sc(T1, 4, T0) },
        { "mfc1 $9,$f2", 0x44091000U, Mfc1(T1, 2) },
        { "lwc1 $f2,4($8)", 0xC5020004U, Lwc1(2, 4, T0) },
        { "ldc1 $f2,8($8)", 0xD5020008U, Ldc1(2, 8, T0) },
        { "swc1 $f2,4($8)", 0xE5020004U, Swc1(2, 4, T0) },
        { "sdc1 $f2,8($8)", 0xF5020008U, Sdc1(2, 8, T0) },
        { "lwxc1 $f0,$0($0)", 0x4C000000U, Lwxc1F0 },
        { "mfc2 $9,$3", 0x48091800U, Mfc2(T1, 3) },
        { "lwc2 $9,4($8)", 0xC9090004U, Lwc2(T1, 4, T0) },
        { "swc2 $9,4($8)", 0xE9090004U, Swc2(T1, 4, T0) },
        { "madd $8,$9", 0x71090000U, Madd(T0, T1) },
        { "maddu $8,$9", 0x71090001U, Maddu(T0, T1) },
        { "mul $10,$8,$9", 0x71095002U, Mul(T2, T0, T1) },
        { "msub $8,$9", 0x71090004U, Msub(T0, T1) },
        { "msubu $8,$9", 0x71090005U, Msubu(T0, T1) },
        { "clz $10,$8", 0x710A5020U, Clz(T2, T0) },
        { "clo $10,$8", 0x710A5021U, Clo(T2, T0) },
        { "sdbbp", 0x7000003FU, Sdbbp() },
        { "ext $10,$8,3,7", 0x7D0A30C0U, Ext(T2, T0, 3, 7) },
        { "ext $10,$8,0,32", 0x7D0AF800U, Ext(T2, T0, 0, 32) },
        { "ins $10,$8,4,12", 0x7D0A7904U, Ins(T2, T0, 4, 12) },
        { "ins $10,$8,0,32", 0x7D0AF804U, Ins(T2, T0, 0, 32) },
        { "wsbh $10,$8", 0x7C0850A0U, Wsbh(T2, T0) },
        { "seb $10,$8", 0x7C085420U, Seb(T2, T0) },
        { "seh $10,$8", 0x7C085620U, Seh(T2, T0) },
        { "rdhwr $3,$29", 0x7C03E83BU, Rdhwr(V1, 29) },
        { "rdhwr $8,$2", 0x7C08103BU, Rdhwr(T0, 2) },
        { "mfc0 $8,$12", 0x40086000U, Mfc0(T0, 12) },
        { "mfc0 $8,$15,1", 0x40087801U, Mfc0(T0, 15, 1) },
        { "mtc0 $8,$11", 0x40885800U, Mtc0(T0, 11) },
        { "mtc0 $8,$16,1", 0x40888001U, Mtc0(T0, Cp0.Config1) },
        { "rdpgpr $10,$8", 0x41485000U, Rdpgpr(T2, T0) },
        { "wrpgpr $10,$8", 0x41C85000U, Wrpgpr(T2, T0) },
        { "di", 0x41606000U, Di() },
        { "di $8", 0x41686000U, Di(T0) },
        { "ei", 0x41606020U, Ei() },
        { "ei $9", 0x41696020U, Ei(T1) },
        { "tlbr", 0x42000001U, Tlbr },
        { "tlbwi", 0x42000002U, Tlbwi },
        { "tlbwr", 0x42000006U, Tlbwr },
        { "tlbp", 0x42000008U, Tlbp },
        { "eret", 0x42000018U, Eret },
        { "deret", 0x4200001FU, Deret },
        { "wait", 0x42000020U, Wait },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Encoder_matches_the_GNU_assembler(string source, uint gnuAs, uint encoded) =>
        Assert.True(gnuAs == encoded, $"{source}: GNU as 0x{gnuAs:X8}, Asm 0x{encoded:X8}");

    [Fact]
    public void Li_loads_a_full_word_with_lui_and_ori()
    {
        Assert.Equal([0x3C08DEADu, 0x3508BEEFu], Li(T0, 0xDEADBEEF));
    }

    [Fact]
    public void J_and_jal_encode_bits_27_to_2_of_the_target()
    {
        Assert.Equal(0x08100400u, J(0x00401000));
        Assert.Equal(0x0C100400u, Jal(0x00401000));
        Assert.Equal(0x0BFFFFFFu, J(0xFFFFFFFC));
    }
}
