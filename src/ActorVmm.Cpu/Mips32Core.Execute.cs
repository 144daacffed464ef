using System.Numerics;
using System.Runtime.CompilerServices;

namespace ActorVmm.Cpu;

public sealed unsafe partial class Mips32Core
{
    /// <summary>
    /// The interpreter loop: at most <paramref name="limit"/> instructions, fewer when an
    /// instruction changes state the caller must re-evaluate (CP0, ERET, WAIT, a device stop)
    /// or an exception occurs. Nothing here allocates; guest exceptions are values.
    /// </summary>
    private long Execute(long limit)
    {
        uint* r = _gpr;
        uint pc = Pc;
        uint npc = NextPc;
        bool delay = InDelaySlot;
        uint countBase = Cp0.Count;
        // Cause.DC stops Count. Only a COP0 instruction (the last of a chunk) can change DC,
        // so whether this chunk counts is fixed at its start.
        uint counting = Cp0.CountStopped ? 0u : 1u;
        long n = 0;
        uint insn = 0;
        // Only a COP0 instruction (the last of a chunk) or an exception changes the mode, so
        // every instruction this call retires ran in the mode it started in.
        int mode = (int)_mode;
        _exitKind = ExitKind.BudgetExhausted;

        while (n < limit)
        {
            if ((ulong)(pc & 0xFFFFF003) != _fetchTag && !FetchSlow(pc))
            {
                insn = 0;
                goto fault;
            }

            insn = *(uint*)(_fetchHost + (pc & 0xFFF));
            uint nextNpc = npc + 4;
            bool nextDelay = false;

            switch (insn >> 26)
            {
                case 0x00: // SPECIAL
                {
                    uint rs = (insn >> 21) & 31;
                    uint rt = (insn >> 16) & 31;
                    uint rd = (insn >> 11) & 31;
                    switch (insn & 63)
                    {
                        case 0x00: // SLL (NOP, SSNOP, EHB)
                            r[rd] = r[rt] << (int)((insn >> 6) & 31);
                            break;
                        case 0x01: // MOVF/MOVT test FPU condition codes
                            Fault(ExcCode.CpU, unit: 1);
                            goto fault;
                        case 0x02: // SRL, ROTR
                        {
                            int sa = (int)((insn >> 6) & 31);
                            r[rd] = (insn & (1u << 21)) != 0 ? BitOperations.RotateRight(r[rt], sa) : r[rt] >> sa;
                            break;
                        }

                        case 0x03: // SRA
                            r[rd] = (uint)((int)r[rt] >> (int)((insn >> 6) & 31));
                            break;
                        case 0x04: // SLLV
                            r[rd] = r[rt] << (int)(r[rs] & 31);
                            break;
                        case 0x06: // SRLV, ROTRV
                        {
                            int sa = (int)(r[rs] & 31);
                            r[rd] = (insn & (1u << 6)) != 0 ? BitOperations.RotateRight(r[rt], sa) : r[rt] >> sa;
                            break;
                        }

                        case 0x07: // SRAV
                            r[rd] = (uint)((int)r[rt] >> (int)(r[rs] & 31));
                            break;
                        case 0x08: // JR, JR.HB
                            nextNpc = r[rs];
                            nextDelay = true;
                            break;
                        case 0x09: // JALR, JALR.HB
                        {
                            uint target = r[rs];
                            r[rd] = pc + 8;
                            nextNpc = target;
                            nextDelay = true;
                            break;
                        }

                        case 0x0A: // MOVZ
                            if (r[rt] == 0)
                            {
                                r[rd] = r[rs];
                            }

                            break;
                        case 0x0B: // MOVN
                            if (r[rt] != 0)
                            {
                                r[rd] = r[rs];
                            }

                            break;
                        case 0x0C:
                            Fault(ExcCode.Sys);
                            goto fault;
                        case 0x0D:
                            Fault(ExcCode.Bp);
                            goto fault;
                        case 0x0F: // SYNC: one processor, in-order memory
                            break;
                        case 0x10:
                            r[rd] = Hi;
                            break;
                        case 0x11:
                            Hi = r[rs];
                            break;
                        case 0x12:
                            r[rd] = Lo;
                            break;
                        case 0x13:
                            Lo = r[rs];
                            break;
                        case 0x18: // MULT
                        {
                            long p = (long)(int)r[rs] * (int)r[rt];
                            Lo = (uint)p;
                            Hi = (uint)(p >> 32);
                            break;
                        }

                        case 0x19: // MULTU
                        {
                            ulong p = (ulong)r[rs] * r[rt];
                            Lo = (uint)p;
                            Hi = (uint)(p >> 32);
                            break;
                        }

                        case 0x1A: // DIV: the quotient of a zero divisor or INT_MIN / -1 is UNPREDICTABLE; we give what qemu gives
                        {
                            int a = (int)r[rs];
                            int b = (int)r[rt];
                            if (b == 0 || (a == int.MinValue && b == -1))
                            {
                                Lo = (uint)a;
                                Hi = 0;
                            }
                            else
                            {
                                Lo = (uint)(a / b);
                                Hi = (uint)(a % b);
                            }

                            break;
                        }

                        case 0x1B: // DIVU
                        {
                            uint a = r[rs];
                            uint b = r[rt];
                            if (b == 0)
                            {
                                Lo = a;
                                Hi = 0;
                            }
                            else
                            {
                                Lo = a / b;
                                Hi = a % b;
                            }

                            break;
                        }

                        case 0x20: // ADD
                        {
                            int a = (int)r[rs];
                            int b = (int)r[rt];
                            int s = a + b;
                            if (((a ^ s) & (b ^ s)) < 0)
                            {
                                Fault(ExcCode.Ov);
                                goto fault;
                            }

                            r[rd] = (uint)s;
                            break;
                        }

                        case 0x21:
                            r[rd] = r[rs] + r[rt];
                            break;
                        case 0x22: // SUB
                        {
                            int a = (int)r[rs];
                            int b = (int)r[rt];
                            int s = a - b;
                            if (((a ^ b) & (a ^ s)) < 0)
                            {
                                Fault(ExcCode.Ov);
                                goto fault;
                            }

                            r[rd] = (uint)s;
                            break;
                        }

                        case 0x23:
                            r[rd] = r[rs] - r[rt];
                            break;
                        case 0x24:
                            r[rd] = r[rs] & r[rt];
                            break;
                        case 0x25:
                            r[rd] = r[rs] | r[rt];
                            break;
                        case 0x26:
                            r[rd] = r[rs] ^ r[rt];
                            break;
                        case 0x27:
                            r[rd] = ~(r[rs] | r[rt]);
                            break;
                        case 0x2A:
                            r[rd] = (int)r[rs] < (int)r[rt] ? 1u : 0u;
                            break;
                        case 0x2B:
                            r[rd] = r[rs] < r[rt] ? 1u : 0u;
                            break;
                        case 0x30: // TGE
                            if ((int)r[rs] >= (int)r[rt])
                            {
                                goto trap;
                            }

                            break;
                        case 0x31: // TGEU
                            if (r[rs] >= r[rt])
                            {
                                goto trap;
                            }

                            break;
                        case 0x32: // TLT
                            if ((int)r[rs] < (int)r[rt])
                            {
                                goto trap;
                            }

                            break;
                        case 0x33: // TLTU
                            if (r[rs] < r[rt])
                            {
                                goto trap;
                            }

                            break;
                        case 0x34: // TEQ
                            if (r[rs] == r[rt])
                            {
                                goto trap;
                            }

                            break;
                        case 0x36: // TNE
                            if (r[rs] != r[rt])
                            {
                                goto trap;
                            }

                            break;
                        default:
                            goto reserved;
                    }

                    break;
                }

                case 0x01: // REGIMM
                {
                    int v = (int)r[(insn >> 21) & 31];
                    uint target = pc + 4 + (uint)((int)(short)insn << 2);
                    uint simm = (uint)(int)(short)insn;
                    switch ((insn >> 16) & 31)
                    {
                        case 0x00: // BLTZ
                            nextDelay = true;
                            if (v < 0)
                            {
                                nextNpc = target;
                            }

                            break;
                        case 0x01: // BGEZ
                            nextDelay = true;
                            if (v >= 0)
                            {
                                nextNpc = target;
                            }

                            break;
                        case 0x02: // BLTZL
                            if (v < 0)
                            {
                                nextNpc = target;
                                nextDelay = true;
                            }
                            else
                            {
                                goto nullify;
                            }

                            break;
                        case 0x03: // BGEZL
                            if (v >= 0)
                            {
                                nextNpc = target;
                                nextDelay = true;
                            }
                            else
                            {
                                goto nullify;
                            }

                            break;
                        case 0x08: // TGEI
                            if (v >= (int)simm)
                            {
                                goto trap;
                            }

                            break;
                        case 0x09: // TGEIU
                            if ((uint)v >= simm)
                            {
                                goto trap;
                            }

                            break;
                        case 0x0A: // TLTI
                            if (v < (int)simm)
                            {
                                goto trap;
                            }

                            break;
                        case 0x0B: // TLTIU
                            if ((uint)v < simm)
                            {
                                goto trap;
                            }

                            break;
                        case 0x0C: // TEQI
                            if ((uint)v == simm)
                            {
                                goto trap;
                            }

                            break;
                        case 0x0E: // TNEI
                            if ((uint)v != simm)
                            {
                                goto trap;
                            }

                            break;
                        case 0x10: // BLTZAL
                            r[31] = pc + 8;
                            nextDelay = true;
                            if (v < 0)
                            {
                                nextNpc = target;
                            }

                            break;
                        case 0x11: // BGEZAL (BAL)
                            r[31] = pc + 8;
                            nextDelay = true;
                            if (v >= 0)
                            {
                                nextNpc = target;
                            }

                            break;
                        case 0x12: // BLTZALL
                            r[31] = pc + 8;
                            if (v < 0)
                            {
                                nextNpc = target;
                                nextDelay = true;
                            }
                            else
                            {
                                goto nullify;
                            }

                            break;
                        case 0x13: // BGEZALL
                            r[31] = pc + 8;
                            if (v >= 0)
                            {
                                nextNpc = target;
                                nextDelay = true;
                            }
                            else
                            {
                                goto nullify;
                            }

                            break;
                        case 0x1F: // SYNCI: no cache to synchronise, but the address is translated as a load
                        {
                            uint va = (uint)v + simm;
                            if (ReadHost(va) == null && !Translate(va, MemoryAccess.Load, out _, out _))
                            {
                                goto fault;
                            }

                            break;
                        }
                        default:
                            goto reserved;
                    }

                    break;
                }

                case 0x02: // J
                    nextNpc = ((pc + 4) & 0xF0000000) | ((insn & 0x03FFFFFF) << 2);
                    nextDelay = true;
                    break;
                case 0x03: // JAL
                    r[31] = pc + 8;
                    nextNpc = ((pc + 4) & 0xF0000000) | ((insn & 0x03FFFFFF) << 2);
                    nextDelay = true;
                    break;
                case 0x04: // BEQ
                    nextDelay = true;
                    if (r[(insn >> 21) & 31] == r[(insn >> 16) & 31])
                    {
                        nextNpc = pc + 4 + (uint)((int)(short)insn << 2);
                    }

                    break;
                case 0x05: // BNE
                    nextDelay = true;
                    if (r[(insn >> 21) & 31] != r[(insn >> 16) & 31])
                    {
                        nextNpc = pc + 4 + (uint)((int)(short)insn << 2);
                    }

                    break;
                case 0x06: // BLEZ
                    nextDelay = true;
                    if ((int)r[(insn >> 21) & 31] <= 0)
                    {
                        nextNpc = pc + 4 + (uint)((int)(short)insn << 2);
                    }

                    break;
                case 0x07: // BGTZ
                    nextDelay = true;
                    if ((int)r[(insn >> 21) & 31] > 0)
                    {
                        nextNpc = pc + 4 + (uint)((int)(short)insn << 2);
                    }

                    break;
                case 0x08: // ADDI
                {
                    int a = (int)r[(insn >> 21) & 31];
                    int b = (short)insn;
                    int s = a + b;
                    if (((a ^ s) & (b ^ s)) < 0)
                    {
                        Fault(ExcCode.Ov);
                        goto fault;
                    }

                    r[(insn >> 16) & 31] = (uint)s;
                    break;
                }

                case 0x09: // ADDIU
                    r[(insn >> 16) & 31] = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    break;
                case 0x0A: // SLTI
                    r[(insn >> 16) & 31] = (int)r[(insn >> 21) & 31] < (short)insn ? 1u : 0u;
                    break;
                case 0x0B: // SLTIU
                    r[(insn >> 16) & 31] = r[(insn >> 21) & 31] < (uint)(int)(short)insn ? 1u : 0u;
                    break;
                case 0x0C: // ANDI
                    r[(insn >> 16) & 31] = r[(insn >> 21) & 31] & (insn & 0xFFFF);
                    break;
                case 0x0D: // ORI
                    r[(insn >> 16) & 31] = r[(insn >> 21) & 31] | (insn & 0xFFFF);
                    break;
                case 0x0E: // XORI
                    r[(insn >> 16) & 31] = r[(insn >> 21) & 31] ^ (insn & 0xFFFF);
                    break;
                case 0x0F: // LUI
                    r[(insn >> 16) & 31] = insn << 16;
                    break;
                case 0x10: // COP0
                {
                    if (_mode != PrivilegeMode.Kernel && (Cp0.Status & StatusBits.CU0) == 0)
                    {
                        Fault(ExcCode.CpU, unit: 0);
                        goto fault;
                    }

                    Cp0.Count = countBase + ((uint)n * counting);
                    var outcome = ExecuteCop0(insn);
                    if (outcome == Cop0Outcome.Eret)
                    {
                        Profile?.Exit(Retired + n + 1, 0); // the ERET itself belongs to the service
                    }

                    countBase = Cp0.Count - ((uint)n * counting);
                    switch (outcome)
                    {
                        case Cop0Outcome.Reserved:
                            goto reserved;
                        case Cop0Outcome.Eret:
                            npc = _eretTarget;
                            nextNpc = npc + 4;
                            delay = false;
                            break;
                        case Cop0Outcome.Wait:
                            _exitKind = ExitKind.Wait;
                            break;
                    }

                    // CP0 may have changed the mode, the interrupt state or the timer: let Run look.
                    limit = n + 1;
                    break;
                }

                case 0x11: // COP1
                case 0x13: // COP1X
                case 0x31: // LWC1
                case 0x35: // LDC1
                case 0x39: // SWC1
                case 0x3D: // SDC1
                    Fault(ExcCode.CpU, unit: 1);
                    goto fault;
                case 0x12: // COP2
                case 0x32: // LWC2
                case 0x36: // LDC2
                case 0x3A: // SWC2
                case 0x3E: // SDC2
                    Fault(ExcCode.CpU, unit: 2);
                    goto fault;
                case 0x14: // BEQL
                    if (r[(insn >> 21) & 31] == r[(insn >> 16) & 31])
                    {
                        nextNpc = pc + 4 + (uint)((int)(short)insn << 2);
                        nextDelay = true;
                        break;
                    }

                    goto nullify;
                case 0x15: // BNEL
                    if (r[(insn >> 21) & 31] != r[(insn >> 16) & 31])
                    {
                        nextNpc = pc + 4 + (uint)((int)(short)insn << 2);
                        nextDelay = true;
                        break;
                    }

                    goto nullify;
                case 0x16: // BLEZL
                    if ((int)r[(insn >> 21) & 31] <= 0)
                    {
                        nextNpc = pc + 4 + (uint)((int)(short)insn << 2);
                        nextDelay = true;
                        break;
                    }

                    goto nullify;
                case 0x17: // BGTZL
                    if ((int)r[(insn >> 21) & 31] > 0)
                    {
                        nextNpc = pc + 4 + (uint)((int)(short)insn << 2);
                        nextDelay = true;
                        break;
                    }

                    goto nullify;
                case 0x1C: // SPECIAL2
                {
                    uint a = r[(insn >> 21) & 31];
                    uint b = r[(insn >> 16) & 31];
                    uint rd = (insn >> 11) & 31;
                    switch (insn & 63)
                    {
                        case 0x00: // MADD
                        {
                            long acc = (long)(((ulong)Hi << 32) | Lo) + ((long)(int)a * (int)b);
                            Lo = (uint)acc;
                            Hi = (uint)(acc >> 32);
                            break;
                        }

                        case 0x01: // MADDU
                        {
                            ulong acc = (((ulong)Hi << 32) | Lo) + ((ulong)a * b);
                            Lo = (uint)acc;
                            Hi = (uint)(acc >> 32);
                            break;
                        }

                        case 0x02: // MUL
                            r[rd] = (uint)((int)a * (int)b);
                            break;
                        case 0x04: // MSUB
                        {
                            long acc = (long)(((ulong)Hi << 32) | Lo) - ((long)(int)a * (int)b);
                            Lo = (uint)acc;
                            Hi = (uint)(acc >> 32);
                            break;
                        }

                        case 0x05: // MSUBU
                        {
                            ulong acc = (((ulong)Hi << 32) | Lo) - ((ulong)a * b);
                            Lo = (uint)acc;
                            Hi = (uint)(acc >> 32);
                            break;
                        }

                        case 0x20: // CLZ
                            r[rd] = (uint)BitOperations.LeadingZeroCount(a);
                            break;
                        case 0x21: // CLO
                            r[rd] = (uint)BitOperations.LeadingZeroCount(~a);
                            break;
                        default: // SDBBP needs EJTAG, which this CPU lacks
                            goto reserved;
                    }

                    break;
                }

                case 0x1F: // SPECIAL3
                {
                    uint rs = (insn >> 21) & 31;
                    uint rt = (insn >> 16) & 31;
                    uint rd = (insn >> 11) & 31;
                    int sa = (int)((insn >> 6) & 31);
                    switch (insn & 63)
                    {
                        case 0x00: // EXT: pos = sa, size = msbd + 1
                            r[rt] = (uint)(((ulong)r[rs] >> sa) & ((1UL << (int)(rd + 1)) - 1));
                            break;
                        case 0x04: // INS: lsb = sa, msb = rd
                            if (rd >= (uint)sa)
                            {
                                uint mask = (uint)(((1UL << (int)(rd - (uint)sa + 1)) - 1) << sa);
                                r[rt] = (r[rt] & ~mask) | ((r[rs] << sa) & mask);
                            }

                            break;
                        case 0x20: // BSHFL
                        {
                            uint v = r[rt];
                            switch (sa)
                            {
                                case 0x02: // WSBH
                                    r[rd] = ((v & 0x00FF00FF) << 8) | ((v >> 8) & 0x00FF00FF);
                                    break;
                                case 0x10: // SEB
                                    r[rd] = (uint)(sbyte)v;
                                    break;
                                case 0x18: // SEH
                                    r[rd] = (uint)(short)v;
                                    break;
                                default:
                                    goto reserved;
                            }

                            break;
                        }

                        case 0x3B: // RDHWR
                        {
                            if (rd > 3 || (_mode != PrivilegeMode.Kernel && (Cp0.Status & StatusBits.CU0) == 0 && (Cp0.HWREna & (1u << (int)rd)) == 0))
                            {
                                goto reserved;
                            }

                            r[rt] = rd switch
                            {
                                0 => Cp0.EBase & 0x3FF,  // CPUNum
                                1 => 32,                 // SYNCI_Step: the cache line size
                                2 => countBase + ((uint)n * counting), // CC
                                _ => 1,                  // CCRes: Count advances once per cycle
                            };
                            break;
                        }

                        default:
                            goto reserved;
                    }

                    break;
                }

                case 0x20: // LB
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    byte* p = ReadHost(va);
                    uint v;
                    if (p != null)
                    {
                        v = *p;
                    }
                    else if (!LoadSlow(va, 1, out v))
                    {
                        goto fault;
                    }

                    r[(insn >> 16) & 31] = (uint)(sbyte)v;
                    break;
                }

                case 0x24: // LBU
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    byte* p = ReadHost(va);
                    uint v;
                    if (p != null)
                    {
                        v = *p;
                    }
                    else if (!LoadSlow(va, 1, out v))
                    {
                        goto fault;
                    }

                    r[(insn >> 16) & 31] = v;
                    break;
                }

                case 0x21: // LH
                case 0x25: // LHU
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    if ((va & 1) != 0)
                    {
                        Fault(ExcCode.AdEL, va);
                        goto fault;
                    }

                    byte* p = ReadHost(va);
                    uint v;
                    if (p != null)
                    {
                        v = *(ushort*)p;
                    }
                    else if (!LoadSlow(va, 2, out v))
                    {
                        goto fault;
                    }

                    r[(insn >> 16) & 31] = (insn & (1u << 28)) != 0 ? v : (uint)(short)v;
                    break;
                }

                case 0x23: // LW
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    if ((va & 3) != 0)
                    {
                        Fault(ExcCode.AdEL, va);
                        goto fault;
                    }

                    byte* p = ReadHost(va);
                    uint v;
                    if (p != null)
                    {
                        v = *(uint*)p;
                    }
                    else if (!LoadSlow(va, 4, out v))
                    {
                        goto fault;
                    }

                    r[(insn >> 16) & 31] = v;
                    break;
                }

                case 0x22: // LWL
                case 0x26: // LWR
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    uint aligned = va & ~3u;
                    byte* p = ReadHost(aligned);
                    uint w;
                    if (p != null)
                    {
                        w = *(uint*)p;
                    }
                    else if (!LoadSlow(aligned, 4, out w))
                    {
                        _faultAddress = va;
                        goto fault;
                    }

                    uint rt = (insn >> 16) & 31;
                    int b = (int)(va & 3);
                    if ((insn >> 26) == 0x22)
                    {
                        int shift = (3 - b) * 8;
                        r[rt] = (w << shift) | (r[rt] & ((1u << shift) - 1));
                    }
                    else
                    {
                        int shift = b * 8;
                        r[rt] = (w >> shift) | (r[rt] & ~(0xFFFFFFFFu >> shift));
                    }

                    break;
                }

                case 0x28: // SB
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    byte* p = WriteHost(va);
                    if (p != null)
                    {
                        *p = (byte)r[(insn >> 16) & 31];
                    }
                    else
                    {
                        if (!StoreSlow(va, 1, r[(insn >> 16) & 31]))
                        {
                            goto fault;
                        }

                        if (_stopRequested)
                        {
                            limit = n + 1;
                        }
                    }

                    break;
                }

                case 0x29: // SH
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    if ((va & 1) != 0)
                    {
                        Fault(ExcCode.AdES, va);
                        goto fault;
                    }

                    byte* p = WriteHost(va);
                    if (p != null)
                    {
                        *(ushort*)p = (ushort)r[(insn >> 16) & 31];
                    }
                    else
                    {
                        if (!StoreSlow(va, 2, r[(insn >> 16) & 31]))
                        {
                            goto fault;
                        }

                        if (_stopRequested)
                        {
                            limit = n + 1;
                        }
                    }

                    break;
                }

                case 0x2B: // SW
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    if ((va & 3) != 0)
                    {
                        Fault(ExcCode.AdES, va);
                        goto fault;
                    }

                    byte* p = WriteHost(va);
                    if (p != null)
                    {
                        *(uint*)p = r[(insn >> 16) & 31];
                    }
                    else
                    {
                        if (!StoreSlow(va, 4, r[(insn >> 16) & 31]))
                        {
                            goto fault;
                        }

                        if (_stopRequested)
                        {
                            limit = n + 1;
                        }
                    }

                    break;
                }

                case 0x2A: // SWL
                case 0x2E: // SWR
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    uint v = r[(insn >> 16) & 31];
                    int b = (int)(va & 3);
                    uint keep;
                    uint bits;
                    if ((insn >> 26) == 0x2A)
                    {
                        int shift = (3 - b) * 8;
                        keep = ~(0xFFFFFFFFu >> shift);
                        bits = v >> shift;
                    }
                    else
                    {
                        int shift = b * 8;
                        keep = (1u << shift) - 1;
                        bits = v << shift;
                    }

                    if (!StoreMerged(va, keep, bits))
                    {
                        goto fault;
                    }

                    break;
                }

                case 0x2F: // CACHE: no caches to maintain, but it is privileged
                    if (_mode != PrivilegeMode.Kernel && (Cp0.Status & StatusBits.CU0) == 0)
                    {
                        Fault(ExcCode.CpU, unit: 0);
                        goto fault;
                    }

                    break;
                case 0x30: // LL
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    if ((va & 3) != 0)
                    {
                        Fault(ExcCode.AdEL, va);
                        goto fault;
                    }

                    if (!LoadSlow(va, 4, out uint v))
                    {
                        goto fault;
                    }

                    r[(insn >> 16) & 31] = v;
                    LLBit = true;
                    Translate(va, MemoryAccess.Load, out ulong llPhysical, out _); // cannot fail: the load just succeeded
                    Cp0.LLAddr = (uint)(llPhysical >> 4);
                    break;
                }

                case 0x33: // PREF: a hint, never faults
                    break;
                case 0x38: // SC
                {
                    uint va = r[(insn >> 21) & 31] + (uint)(int)(short)insn;
                    if ((va & 3) != 0)
                    {
                        Fault(ExcCode.AdES, va);
                        goto fault;
                    }

                    uint rt = (insn >> 16) & 31;
                    if (LLBit)
                    {
                        byte* p = WriteHost(va);
                        if (p != null)
                        {
                            *(uint*)p = r[rt];
                        }
                        else if (!StoreSlow(va, 4, r[rt]))
                        {
                            goto fault;
                        }

                        r[rt] = 1;
                    }
                    else
                    {
                        r[rt] = 0;
                    }

                    LLBit = false;
                    break;
                }

                default: // 64-bit, MIPS16/microMIPS, MDMX/MSA and unassigned opcodes
                    goto reserved;
            }

            r[0] = 0;
            pc = npc;
            npc = nextNpc;
            delay = nextDelay;
            n++;
            continue;

        nullify:
            // A branch-likely not taken: its delay slot is skipped, not executed.
            r[0] = 0;
            pc = npc + 4;
            npc = pc + 4;
            delay = false;
            n++;
            continue;

        trap:
            Fault(ExcCode.Tr);
            goto fault;

        reserved:
            Fault(ExcCode.RI);

        fault:
            r[0] = 0;
            _lastException = new GuestException(_faultCode, pc, delay, _faultAddress, insn, _faultUnit, _faultRefill);
            Pc = pc;
            NextPc = npc;
            InDelaySlot = delay;
            Cp0.Count = countBase + ((uint)n * counting);
            Retired += n;
            _retiredByMode[mode] += n;
            if (Delivery == DeliveryMode.Host)
            {
                _exitKind = ExitKind.Exception;
            }
            else
            {
                DeliverNative(_lastException);
            }

            return n;
        }

        Pc = pc;
        NextPc = npc;
        InDelaySlot = delay;
        Cp0.Count = countBase + ((uint)n * counting);
        Retired += n;
        _retiredByMode[mode] += n;
        if (_stopRequested)
        {
            _exitKind = ExitKind.Stopped;
        }

        return n;
    }

    /// <summary>SWL/SWR: replace the bytes of the aligned word outside <paramref name="keep"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool StoreMerged(uint va, uint keep, uint bits)
    {
        uint aligned = va & ~3u;
        byte* p = WriteHost(aligned);
        if (p != null)
        {
            *(uint*)p = (*(uint*)p & keep) | bits;
            return true;
        }

        p = SlowHost(aligned, MemoryAccess.Store, out ulong pa, out bool faulted);
        if (p != null)
        {
            *(uint*)p = (*(uint*)p & keep) | bits;
            return true;
        }

        if (faulted)
        {
            _faultAddress = va;
            return false;
        }

        if (_devices is not null && _devices.Read(pa, 4, out uint old))
        {
            var response = _devices.Write(pa, 4, (old & keep) | bits);
            if (response != BusWrite.Error)
            {
                _stopRequested |= response == BusWrite.StopCpu;
                return true;
            }
        }

        return Fault(ExcCode.Dbe, va);
    }
}
