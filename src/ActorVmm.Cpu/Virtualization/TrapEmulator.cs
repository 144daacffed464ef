namespace ActorVmm.Cpu.Virtualization;

/// <summary>
/// The monitor's trap handler as a pure function: given a trap and the guest's virtual CP0,
/// emulate the privileged instruction on the virtual CP0, or reflect the exception to the
/// vector the guest installed through EBase, or perform its ERET. Device accesses need the
/// VM's device state and are decided by the caller.
/// </summary>
public static class TrapEmulator
{
    public static TrapDecision Decide(TrapRequest request)
    {
        var e = request.Exception;
        return request.Kind switch
        {
            TrapKind.Interrupt => Reflect(request.Cp0, new GuestException(ExcCode.Int, e.Pc, e.InDelaySlot, 0, 0)),
            TrapKind.GuestTlb => Reflect(request.Cp0, e),
            TrapKind.Exception when e.Code == ExcCode.CpU && e.CoprocessorUnit == 0 => EmulatePrivileged(request),
            TrapKind.Exception => Reflect(request.Cp0, e),
            _ => throw new ArgumentException($"{request.Kind} traps are decided with the VM's devices", nameof(request)),
        };
    }

    /// <summary>Exception entry on the virtual CP0, exactly as the hardware would do it.</summary>
    public static Reflected Reflect(Cp0State cp0, GuestException e)
    {
        uint vector = cp0.EnterException(e, out _);
        return new Reflected(e, cp0, vector);
    }

    private static TrapDecision EmulatePrivileged(TrapRequest request)
    {
        var cp0 = request.Cp0;
        if (cp0.Mode != PrivilegeMode.Kernel && (cp0.Status & StatusBits.CU0) == 0)
        {
            // The guest itself is in user (or supervisor) mode: on its hardware this is
            // Coprocessor Unusable for its own kernel to handle, not something to emulate.
            return Reflect(cp0, request.Exception);
        }

        uint insn = request.Exception.Instruction;
        int rt = (int)((insn >> 16) & 31);
        int rd = (int)((insn >> 11) & 31);
        if ((insn >> 26) == 0x2F)
        {
            return new Emulated(EmulatedOp.Cache, cp0, 0, 0, null);
        }

        if ((insn >> 26) != 0x10)
        {
            return ReservedInstruction(request);
        }

        if ((insn & (1u << 25)) != 0)
        {
            int size = cp0.TlbSize;
            switch (insn & 63)
            {
                case 0x01:
                    Tlb.Read(ref cp0, request.VirtualTlb.AsSpan());
                    return new Emulated(EmulatedOp.Tlbr, cp0, 0, 0, null);
                case 0x02:
                {
                    int slot = Tlb.IndexedSlot(cp0, size);
                    var write = slot >= 0 ? new VirtualTlbWrite(slot, TlbEntry.FromCp0(cp0)) : null;
                    return new Emulated(EmulatedOp.Tlbwi, cp0, 0, 0, write);
                }

                case 0x06:
                {
                    int slot = Tlb.RandomSlot(ref cp0, size);
                    return new Emulated(EmulatedOp.Tlbwr, cp0, 0, 0, new VirtualTlbWrite(slot, TlbEntry.FromCp0(cp0)));
                }

                case 0x08:
                    Tlb.Probe(ref cp0, request.VirtualTlb.AsSpan());
                    return new Emulated(EmulatedOp.Tlbp, cp0, 0, 0, null);
                case 0x18:
                {
                    uint target = cp0.ReturnFromException(out _);
                    return new Returned(cp0, target);
                }

                case 0x20:
                    return new Idled(cp0);
                default:
                    return ReservedInstruction(request);
            }
        }

        int reg = (int)(((insn >> 8) & 0xF8) | (insn & 7));
        switch ((insn >> 21) & 31)
        {
            case 0x00:
                return new Emulated(EmulatedOp.Mfc0, cp0, rt, cp0.Read(reg), null);
            case 0x04:
                cp0.Write(reg, request.RtValue);
                return new Emulated(EmulatedOp.Mtc0, cp0, 0, 0, null);
            case 0x0A:
                return new Emulated(EmulatedOp.Rdpgpr, cp0, rd, request.RtValue, null);
            case 0x0E:
                return new Emulated(EmulatedOp.Wrpgpr, cp0, rd, request.RtValue, null);
            case 0x0B when (insn & 0xFFE0FFDF) == 0x41606000:
            {
                uint old = cp0.Status;
                bool enable = (insn & 0x20) != 0;
                cp0.Status = enable ? old | StatusBits.IE : old & ~StatusBits.IE;
                return new Emulated(enable ? EmulatedOp.Ei : EmulatedOp.Di, cp0, rt, old, null);
            }

            default:
                return ReservedInstruction(request);
        }
    }

    private static Reflected ReservedInstruction(TrapRequest request)
    {
        var e = request.Exception;
        return Reflect(request.Cp0, new GuestException(ExcCode.RI, e.Pc, e.InDelaySlot, e.BadVAddr, e.Instruction));
    }
}
