namespace ActorVmm.Cpu;

public sealed unsafe partial class Mips32Core
{
    private enum Cop0Outcome : byte
    {
        Done,
        Reserved,
        Eret,
        Wait,
    }

    private uint _eretTarget;

    /// <summary>
    /// A COP0 instruction in kernel mode (or with CU0 set). Kept out of the interpreter
    /// loop: it is rare on the user path and touches much state.
    /// </summary>
    private Cop0Outcome ExecuteCop0(uint insn)
    {
        int rt = (int)((insn >> 16) & 31);
        if ((insn & (1u << 25)) != 0)
        {
            switch (insn & 63)
            {
                case 0x01: // TLBR
                    Cp0Changed(Tlb.Read(ref Cp0));
                    return Cop0Outcome.Done;
                case 0x02: // TLBWI
                    if (Tlb.WriteIndexed(Cp0, out var replaced) >= 0)
                    {
                        InvalidateEntry(replaced);
                    }

                    return Cop0Outcome.Done;
                case 0x06: // TLBWR
                    Tlb.WriteRandom(ref Cp0, out var evicted);
                    InvalidateEntry(evicted);
                    return Cop0Outcome.Done;
                case 0x08: // TLBP
                    Tlb.Probe(ref Cp0);
                    return Cop0Outcome.Done;
                case 0x18: // ERET
                    _eretTarget = Cp0.ReturnFromException(out var effect);
                    Cp0Changed(effect);
                    LLBit = false;
                    _contextSwitches.Returned(Cp0);
                    return Cop0Outcome.Eret;
                case 0x20: // WAIT
                    return Cop0Outcome.Wait;
                default: // DERET outside debug mode, and unassigned functions
                    return Cop0Outcome.Reserved;
            }
        }

        int reg = (int)(((insn >> 8) & 0xF8) | (insn & 7)); // rd * 8 + sel
        switch ((insn >> 21) & 31)
        {
            case 0x00: // MFC0
                SetGpr(rt, Cp0.Read(reg));
                return Cop0Outcome.Done;
            case 0x04: // MTC0
                Cp0Changed(Cp0.Write(reg, _gpr[rt]));
                return Cop0Outcome.Done;
            case 0x0A: // RDPGPR: one shadow set, so the previous set is the current one
                SetGpr((int)((insn >> 11) & 31), _gpr[rt]);
                return Cop0Outcome.Done;
            case 0x0E: // WRPGPR
                SetGpr((int)((insn >> 11) & 31), _gpr[rt]);
                return Cop0Outcome.Done;
            case 0x0B when (insn & 0xFFE0FFDF) == 0x41606000: // DI / EI
            {
                uint old = Cp0.Status;
                SetGpr(rt, old);
                Cp0.Status = (insn & 0x20) != 0 ? old | StatusBits.IE : old & ~StatusBits.IE;
                Cp0Changed(Cp0State.StatusChange(old, Cp0.Status));
                return Cop0Outcome.Done;
            }

            default:
                return Cop0Outcome.Reserved;
        }
    }
}
