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
        var p = PrivilegedInstruction.Decode(insn);
        switch (p.Op)
        {
            case PrivilegedOp.Tlbr:
                Cp0Changed(Tlb.Read(ref Cp0));
                return Cop0Outcome.Done;
            case PrivilegedOp.Tlbwi:
                if (Tlb.WriteIndexed(Cp0, out var replaced) >= 0)
                {
                    InvalidateEntry(replaced);
                }

                return Cop0Outcome.Done;
            case PrivilegedOp.Tlbwr:
                Tlb.WriteRandom(ref Cp0, out var evicted);
                InvalidateEntry(evicted);
                return Cop0Outcome.Done;
            case PrivilegedOp.Tlbp:
                Tlb.Probe(ref Cp0);
                return Cop0Outcome.Done;
            case PrivilegedOp.Eret:
                _eretTarget = Cp0.ReturnFromException(out var effect);
                Cp0Changed(effect);
                LLBit = false;
                _contextSwitches.Returned(Cp0);
                return Cop0Outcome.Eret;
            case PrivilegedOp.Wait:
                return Cop0Outcome.Wait;
            case PrivilegedOp.Mfc0:
                SetGpr(p.Rt, Cp0.Read(p.Register));
                return Cop0Outcome.Done;
            case PrivilegedOp.Mtc0:
                Cp0Changed(Cp0.Write(p.Register, _gpr[p.Rt]));
                return Cop0Outcome.Done;
            case PrivilegedOp.Rdpgpr or PrivilegedOp.Wrpgpr:
                // One shadow set, so the previous set is the current one: both copy rt to rd.
                SetGpr(p.Rd, _gpr[p.Rt]);
                return Cop0Outcome.Done;
            case PrivilegedOp.Di or PrivilegedOp.Ei:
            {
                uint old = Cp0.Status;
                SetGpr(p.Rt, old);
                Cp0.Status = p.Op == PrivilegedOp.Ei ? old | StatusBits.IE : old & ~StatusBits.IE;
                Cp0Changed(Cp0State.StatusChange(old, Cp0.Status));
                return Cop0Outcome.Done;
            }

            default:
                return Cop0Outcome.Reserved;
        }
    }
}
