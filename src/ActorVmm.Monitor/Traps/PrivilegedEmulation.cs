using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// A privileged instruction the guest kernel executed (it runs in supervisor mode, so each one
/// stopped the CPU with Coprocessor Unusable), performed on the guest's virtual CP0 and
/// virtual TLB with the same rules the bare CPU applies to its real ones.
/// </summary>
public static class PrivilegedEmulation
{
    public static TrapDecision Emulate(TrapRequest request)
    {
        var cp0 = request.Cp0;
        if (cp0.Mode != PrivilegeMode.Kernel && (cp0.Status & StatusBits.CU0) == 0)
        {
            // The guest itself is in user (or supervisor) mode: on its hardware this is
            // Coprocessor Unusable for its own kernel to handle, not something to emulate.
            return Reflection.Reflect(cp0, request.Exception);
        }

        var p = PrivilegedInstruction.Decode(request.Exception.Instruction);
        switch (p.Op)
        {
            case PrivilegedOp.Cache:
                return new Emulated(PrivilegedOp.Cache, cp0, 0, 0, null);
            case PrivilegedOp.Tlbr:
                Tlb.Read(ref cp0, request.VirtualTlb.AsSpan());
                return new Emulated(p.Op, cp0, 0, 0, null);
            case PrivilegedOp.Tlbwi:
            {
                int slot = Tlb.IndexedSlot(cp0, cp0.TlbSize);
                var write = slot >= 0 ? new VirtualTlbWrite(slot, TlbEntry.FromCp0(cp0)) : null;
                return new Emulated(p.Op, cp0, 0, 0, write);
            }

            case PrivilegedOp.Tlbwr:
            {
                int slot = Tlb.RandomSlot(ref cp0, cp0.TlbSize);
                return new Emulated(p.Op, cp0, 0, 0, new VirtualTlbWrite(slot, TlbEntry.FromCp0(cp0)));
            }

            case PrivilegedOp.Tlbp:
                Tlb.Probe(ref cp0, request.VirtualTlb.AsSpan());
                return new Emulated(p.Op, cp0, 0, 0, null);
            case PrivilegedOp.Eret:
            {
                uint target = cp0.ReturnFromException(out _); // before cp0 is copied into the decision
                return new Returned(cp0, target);
            }
            case PrivilegedOp.Wait:
                return new Idled(cp0);
            case PrivilegedOp.Mfc0:
                return new Emulated(p.Op, cp0, p.Rt, cp0.Read(p.Register), null);
            case PrivilegedOp.Mtc0:
                cp0.Write(p.Register, request.RtValue);
                return new Emulated(p.Op, cp0, 0, 0, null);
            case PrivilegedOp.Rdpgpr or PrivilegedOp.Wrpgpr:
                return new Emulated(p.Op, cp0, p.Rd, request.RtValue, null);
            case PrivilegedOp.Di or PrivilegedOp.Ei:
            {
                uint old = cp0.Status;
                cp0.Status = p.Op == PrivilegedOp.Ei ? old | StatusBits.IE : old & ~StatusBits.IE;
                return new Emulated(p.Op, cp0, p.Rt, old, null);
            }

            default:
                var e = request.Exception;
                return Reflection.Reflect(request.Cp0, new GuestException(ExcCode.RI, e.Pc, e.InDelaySlot, e.BadVAddr, e.Instruction));
        }
    }
}
