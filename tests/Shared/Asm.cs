using ActorVmm.Cpu;

namespace ActorVmm.TestSupport;

/// <summary>
/// A tiny MIPS32 Release 2 encoder for tests: one function per instruction, returning the
/// 32-bit word. Operands follow the GNU assembler's order (destination first). Branch
/// offsets are in instructions relative to the delay slot, exactly the 16-bit field the
/// hardware reads, so a test states precisely where a branch goes. The encodings are
/// checked against GNU as in ActorVmm.Cpu.Tests (AsmEncodingTests). Shared by the test
/// projects that assemble guest code by hand (tests/Shared is linked into each).
/// </summary>
internal static class Asm
{
    // o32 register names.
    public const int Zero = 0, AT = 1, V0 = 2, V1 = 3, A0 = 4, A1 = 5, A2 = 6, A3 = 7;
    public const int T0 = 8, T1 = 9, T2 = 10, T3 = 11, T4 = 12, T5 = 13, T6 = 14, T7 = 15;
    public const int S0 = 16, S1 = 17, S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23;
    public const int T8 = 24, T9 = 25, K0 = 26, K1 = 27, GP = 28, SP = 29, FP = 30, RA = 31;

    public const uint Nop = 0;

    private static uint Reg(int r) => (uint)(r & 31);

    private static uint R(uint funct, int rs, int rt, int rd, int sa = 0) =>
        (Reg(rs) << 21) | (Reg(rt) << 16) | (Reg(rd) << 11) | ((uint)(sa & 31) << 6) | (funct & 63);

    private static uint I(uint op, int rs, int rt, int imm) =>
        (op << 26) | (Reg(rs) << 21) | (Reg(rt) << 16) | ((uint)imm & 0xFFFF);

    private static uint RegImm(uint code, int rs, int imm) => I(0x01, rs, (int)code, imm);

    private static uint Special2(uint funct, int rs, int rt, int rd) => (0x1Cu << 26) | R(funct, rs, rt, rd);

    private static uint Special3(uint funct, int rs, int rt, int rd, int sa) => (0x1Fu << 26) | R(funct, rs, rt, rd, sa);

    // ---- SPECIAL: shifts -------------------------------------------------------------
    public static uint Sll(int rd, int rt, int sa) => R(0x00, 0, rt, rd, sa);
    public static uint Srl(int rd, int rt, int sa) => R(0x02, 0, rt, rd, sa);
    public static uint Rotr(int rd, int rt, int sa) => R(0x02, 1, rt, rd, sa);
    public static uint Sra(int rd, int rt, int sa) => R(0x03, 0, rt, rd, sa);
    public static uint Sllv(int rd, int rt, int rs) => R(0x04, rs, rt, rd);
    public static uint Srlv(int rd, int rt, int rs) => R(0x06, rs, rt, rd);
    public static uint Rotrv(int rd, int rt, int rs) => R(0x06, rs, rt, rd, 1);
    public static uint Srav(int rd, int rt, int rs) => R(0x07, rs, rt, rd);

    public static readonly uint Ssnop = Sll(0, 0, 1);
    public static readonly uint Ehb = Sll(0, 0, 3);

    // ---- SPECIAL: jumps, moves, system -----------------------------------------------
    public static uint Jr(int rs) => R(0x08, rs, 0, 0);
    public static uint JrHb(int rs) => R(0x08, rs, 0, 0) | (1u << 10);
    public static uint Jalr(int rd, int rs) => R(0x09, rs, 0, rd);
    public static uint Jalr(int rs) => Jalr(RA, rs);
    public static uint JalrHb(int rd, int rs) => R(0x09, rs, 0, rd) | (1u << 10);
    public static uint Movz(int rd, int rs, int rt) => R(0x0A, rs, rt, rd);
    public static uint Movn(int rd, int rs, int rt) => R(0x0B, rs, rt, rd);

    /// <summary>SYSCALL with its 20-bit code field (bits 25:6).</summary>
    public static uint Syscall(uint code = 0) => ((code & 0xFFFFF) << 6) | 0x0C;

    /// <summary>BREAK with its 20-bit code field (bits 25:6); GNU's <c>break a, b</c> is code = a &lt;&lt; 10 | b.</summary>
    public static uint Break(uint code = 0) => ((code & 0xFFFFF) << 6) | 0x0D;

    public static uint Sync(int stype = 0) => ((uint)(stype & 31) << 6) | 0x0F;
    public static uint Mfhi(int rd) => R(0x10, 0, 0, rd);
    public static uint Mthi(int rs) => R(0x11, rs, 0, 0);
    public static uint Mflo(int rd) => R(0x12, 0, 0, rd);
    public static uint Mtlo(int rs) => R(0x13, rs, 0, 0);

    /// <summary>MOVF rd, rs, cc (tf = 0) / MOVT (tf = 1): FPU condition moves.</summary>
    public static uint Movf(int rd, int rs, int cc = 0) => R(0x01, rs, (cc & 7) << 2, rd);
    public static uint Movt(int rd, int rs, int cc = 0) => R(0x01, rs, ((cc & 7) << 2) | 1, rd);

    // ---- SPECIAL: multiply / divide ------------------------------------------------------
    public static uint Mult(int rs, int rt) => R(0x18, rs, rt, 0);
    public static uint Multu(int rs, int rt) => R(0x19, rs, rt, 0);
    public static uint Div(int rs, int rt) => R(0x1A, rs, rt, 0);
    public static uint Divu(int rs, int rt) => R(0x1B, rs, rt, 0);

    // ---- SPECIAL: ALU ------------------------------------------------------------------
    public static uint Add(int rd, int rs, int rt) => R(0x20, rs, rt, rd);
    public static uint Addu(int rd, int rs, int rt) => R(0x21, rs, rt, rd);
    public static uint Sub(int rd, int rs, int rt) => R(0x22, rs, rt, rd);
    public static uint Subu(int rd, int rs, int rt) => R(0x23, rs, rt, rd);
    public static uint And(int rd, int rs, int rt) => R(0x24, rs, rt, rd);
    public static uint Or(int rd, int rs, int rt) => R(0x25, rs, rt, rd);
    public static uint Xor(int rd, int rs, int rt) => R(0x26, rs, rt, rd);
    public static uint Nor(int rd, int rs, int rt) => R(0x27, rs, rt, rd);
    public static uint Slt(int rd, int rs, int rt) => R(0x2A, rs, rt, rd);
    public static uint Sltu(int rd, int rs, int rt) => R(0x2B, rs, rt, rd);
    public static uint Move(int rd, int rs) => Addu(rd, rs, 0);

    // ---- SPECIAL: register traps (10-bit code in bits 15:6) ---------------------------------
    public static uint Tge(int rs, int rt, int code = 0) => R(0x30, rs, rt, 0) | ((uint)(code & 0x3FF) << 6);
    public static uint Tgeu(int rs, int rt, int code = 0) => R(0x31, rs, rt, 0) | ((uint)(code & 0x3FF) << 6);
    public static uint Tlt(int rs, int rt, int code = 0) => R(0x32, rs, rt, 0) | ((uint)(code & 0x3FF) << 6);
    public static uint Tltu(int rs, int rt, int code = 0) => R(0x33, rs, rt, 0) | ((uint)(code & 0x3FF) << 6);
    public static uint Teq(int rs, int rt, int code = 0) => R(0x34, rs, rt, 0) | ((uint)(code & 0x3FF) << 6);
    public static uint Tne(int rs, int rt, int code = 0) => R(0x36, rs, rt, 0) | ((uint)(code & 0x3FF) << 6);

    // ---- REGIMM ----------------------------------------------------------------------
    public static uint Bltz(int rs, int offset) => RegImm(0x00, rs, offset);
    public static uint Bgez(int rs, int offset) => RegImm(0x01, rs, offset);
    public static uint Bltzl(int rs, int offset) => RegImm(0x02, rs, offset);
    public static uint Bgezl(int rs, int offset) => RegImm(0x03, rs, offset);
    public static uint Tgei(int rs, int imm) => RegImm(0x08, rs, imm);
    public static uint Tgeiu(int rs, int imm) => RegImm(0x09, rs, imm);
    public static uint Tlti(int rs, int imm) => RegImm(0x0A, rs, imm);
    public static uint Tltiu(int rs, int imm) => RegImm(0x0B, rs, imm);
    public static uint Teqi(int rs, int imm) => RegImm(0x0C, rs, imm);
    public static uint Tnei(int rs, int imm) => RegImm(0x0E, rs, imm);
    public static uint Bltzal(int rs, int offset) => RegImm(0x10, rs, offset);
    public static uint Bgezal(int rs, int offset) => RegImm(0x11, rs, offset);
    public static uint Bltzall(int rs, int offset) => RegImm(0x12, rs, offset);
    public static uint Bgezall(int rs, int offset) => RegImm(0x13, rs, offset);
    public static uint Bal(int offset) => Bgezal(0, offset);
    public static uint Synci(int offset, int baseReg) => RegImm(0x1F, baseReg, offset);

    // ---- J-type ----------------------------------------------------------------------
    /// <summary>J to <paramref name="target"/>: only bits 27:2 are encoded; the region comes from the delay slot.</summary>
    public static uint J(uint target) => (0x02u << 26) | ((target >> 2) & 0x03FFFFFF);
    public static uint Jal(uint target) => (0x03u << 26) | ((target >> 2) & 0x03FFFFFF);

    // ---- I-type branches ---------------------------------------------------------------
    public static uint Beq(int rs, int rt, int offset) => I(0x04, rs, rt, offset);
    public static uint Bne(int rs, int rt, int offset) => I(0x05, rs, rt, offset);
    public static uint Blez(int rs, int offset) => I(0x06, rs, 0, offset);
    public static uint Bgtz(int rs, int offset) => I(0x07, rs, 0, offset);
    public static uint Beql(int rs, int rt, int offset) => I(0x14, rs, rt, offset);
    public static uint Bnel(int rs, int rt, int offset) => I(0x15, rs, rt, offset);
    public static uint Blezl(int rs, int offset) => I(0x16, rs, 0, offset);
    public static uint Bgtzl(int rs, int offset) => I(0x17, rs, 0, offset);
    public static uint B(int offset) => Beq(0, 0, offset);

    // ---- I-type ALU --------------------------------------------------------------------
    public static uint Addi(int rt, int rs, int imm) => I(0x08, rs, rt, imm);
    public static uint Addiu(int rt, int rs, int imm) => I(0x09, rs, rt, imm);
    public static uint Slti(int rt, int rs, int imm) => I(0x0A, rs, rt, imm);
    public static uint Sltiu(int rt, int rs, int imm) => I(0x0B, rs, rt, imm);
    public static uint Andi(int rt, int rs, int imm) => I(0x0C, rs, rt, imm);
    public static uint Ori(int rt, int rs, int imm) => I(0x0D, rs, rt, imm);
    public static uint Xori(int rt, int rs, int imm) => I(0x0E, rs, rt, imm);
    public static uint Lui(int rt, int imm) => I(0x0F, 0, rt, imm);

    /// <summary>LUI + ORI: a full 32-bit constant in two instructions.</summary>
    public static uint[] Li(int rt, uint value) => [Lui(rt, (int)(value >> 16)), Ori(rt, rt, (int)(value & 0xFFFF))];

    // ---- loads and stores ----------------------------------------------------------------
    public static uint Lb(int rt, int offset, int baseReg) => I(0x20, baseReg, rt, offset);
    public static uint Lh(int rt, int offset, int baseReg) => I(0x21, baseReg, rt, offset);
    public static uint Lwl(int rt, int offset, int baseReg) => I(0x22, baseReg, rt, offset);
    public static uint Lw(int rt, int offset, int baseReg) => I(0x23, baseReg, rt, offset);
    public static uint Lbu(int rt, int offset, int baseReg) => I(0x24, baseReg, rt, offset);
    public static uint Lhu(int rt, int offset, int baseReg) => I(0x25, baseReg, rt, offset);
    public static uint Lwr(int rt, int offset, int baseReg) => I(0x26, baseReg, rt, offset);
    public static uint Sb(int rt, int offset, int baseReg) => I(0x28, baseReg, rt, offset);
    public static uint Sh(int rt, int offset, int baseReg) => I(0x29, baseReg, rt, offset);
    public static uint Swl(int rt, int offset, int baseReg) => I(0x2A, baseReg, rt, offset);
    public static uint Sw(int rt, int offset, int baseReg) => I(0x2B, baseReg, rt, offset);
    public static uint Swr(int rt, int offset, int baseReg) => I(0x2E, baseReg, rt, offset);
    public static uint Cache(int op, int offset, int baseReg) => I(0x2F, baseReg, op, offset);
    public static uint Ll(int rt, int offset, int baseReg) => I(0x30, baseReg, rt, offset);
    public static uint Pref(int hint, int offset, int baseReg) => I(0x33, baseReg, hint, offset);
    public static uint Sc(int rt, int offset, int baseReg) => I(0x38, baseReg, rt, offset);

    // ---- coprocessor 1 and 2 (absent) ---------------------------------------------------------
    public static uint Mfc1(int rt, int fs) => (0x11u << 26) | (Reg(rt) << 16) | (Reg(fs) << 11);
    public static uint Lwc1(int ft, int offset, int baseReg) => I(0x31, baseReg, ft, offset);
    public static uint Ldc1(int ft, int offset, int baseReg) => I(0x35, baseReg, ft, offset);
    public static uint Swc1(int ft, int offset, int baseReg) => I(0x39, baseReg, ft, offset);
    public static uint Sdc1(int ft, int offset, int baseReg) => I(0x3D, baseReg, ft, offset);
    public static uint Mfc2(int rt, int rd) => (0x12u << 26) | (Reg(rt) << 16) | (Reg(rd) << 11);
    public static uint Lwc2(int rt, int offset, int baseReg) => I(0x32, baseReg, rt, offset);
    public static uint Swc2(int rt, int offset, int baseReg) => I(0x3A, baseReg, rt, offset);

    /// <summary>COP1X (opcode 0x13), e.g. LWXC1 f0, zero(zero).</summary>
    public const uint Lwxc1F0 = 0x4C000000;

    // ---- SPECIAL2 --------------------------------------------------------------------
    public static uint Madd(int rs, int rt) => Special2(0x00, rs, rt, 0);
    public static uint Maddu(int rs, int rt) => Special2(0x01, rs, rt, 0);
    public static uint Mul(int rd, int rs, int rt) => Special2(0x02, rs, rt, rd);
    public static uint Msub(int rs, int rt) => Special2(0x04, rs, rt, 0);
    public static uint Msubu(int rs, int rt) => Special2(0x05, rs, rt, 0);

    /// <summary>CLZ rd, rs: the manual requires rt = rd in the encoding.</summary>
    public static uint Clz(int rd, int rs) => Special2(0x20, rs, rd, rd);
    public static uint Clo(int rd, int rs) => Special2(0x21, rs, rd, rd);
    public static uint Sdbbp(uint code = 0) => (0x1Cu << 26) | ((code & 0xFFFFF) << 6) | 0x3F;

    // ---- SPECIAL3 --------------------------------------------------------------------
    public static uint Ext(int rt, int rs, int pos, int size) => Special3(0x00, rs, rt, size - 1, pos);
    public static uint Ins(int rt, int rs, int pos, int size) => Special3(0x04, rs, rt, pos + size - 1, pos);
    public static uint Wsbh(int rd, int rt) => Special3(0x20, 0, rt, rd, 0x02);
    public static uint Seb(int rd, int rt) => Special3(0x20, 0, rt, rd, 0x10);
    public static uint Seh(int rd, int rt) => Special3(0x20, 0, rt, rd, 0x18);
    public static uint Rdhwr(int rt, int rd) => Special3(0x3B, 0, rt, rd, 0);

    // ---- COP0 ------------------------------------------------------------------------
    public static uint Mfc0(int rt, int rd, int sel = 0) => (0x10u << 26) | (0x00u << 21) | (Reg(rt) << 16) | (Reg(rd) << 11) | (uint)(sel & 7);
    public static uint Mtc0(int rt, int rd, int sel = 0) => (0x10u << 26) | (0x04u << 21) | (Reg(rt) << 16) | (Reg(rd) << 11) | (uint)(sel & 7);

    /// <summary>MFC0 by <see cref="Cp0Register"/> number (reg * 8 + sel).</summary>
    public static uint Mfc0(int rt, Cp0 reg) => Mfc0(rt, (int)reg >> 3, (int)reg & 7);
    public static uint Mtc0(int rt, Cp0 reg) => Mtc0(rt, (int)reg >> 3, (int)reg & 7);

    public static uint Rdpgpr(int rd, int rt) => (0x10u << 26) | (0x0Au << 21) | (Reg(rt) << 16) | (Reg(rd) << 11);
    public static uint Wrpgpr(int rd, int rt) => (0x10u << 26) | (0x0Eu << 21) | (Reg(rt) << 16) | (Reg(rd) << 11);
    public static uint Di(int rt = 0) => 0x41606000 | (Reg(rt) << 16);
    public static uint Ei(int rt = 0) => 0x41606020 | (Reg(rt) << 16);

    public const uint Tlbr = 0x42000001;
    public const uint Tlbwi = 0x42000002;
    public const uint Tlbwr = 0x42000006;
    public const uint Tlbp = 0x42000008;
    public const uint Eret = 0x42000018;
    public const uint Deret = 0x4200001F;
    public const uint Wait = 0x42000020;

    /// <summary>CP0 registers as (reg * 8 + sel), for the Mfc0/Mtc0 overloads.</summary>
    public enum Cp0
    {
        Index = Cp0Register.Index,
        Random = Cp0Register.Random,
        EntryLo0 = Cp0Register.EntryLo0,
        EntryLo1 = Cp0Register.EntryLo1,
        Context = Cp0Register.Context,
        PageMask = Cp0Register.PageMask,
        Wired = Cp0Register.Wired,
        HWREna = Cp0Register.HWREna,
        BadVAddr = Cp0Register.BadVAddr,
        Count = Cp0Register.Count,
        EntryHi = Cp0Register.EntryHi,
        Compare = Cp0Register.Compare,
        Status = Cp0Register.Status,
        IntCtl = Cp0Register.IntCtl,
        Cause = Cp0Register.Cause,
        EPC = Cp0Register.EPC,
        PRId = Cp0Register.PRId,
        EBase = Cp0Register.EBase,
        Config = Cp0Register.Config,
        Config1 = Cp0Register.Config1,
        Config2 = Cp0Register.Config2,
        Config3 = Cp0Register.Config3,
        LLAddr = Cp0Register.LLAddr,
        ErrorEPC = Cp0Register.ErrorEPC,
    }
}
