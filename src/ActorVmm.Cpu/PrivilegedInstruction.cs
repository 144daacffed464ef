namespace ActorVmm.Cpu;

/// <summary>
/// The one decoder of privileged instructions, shared by the core (native execution), the
/// monitor's emulator, the trace and the trap tally, so that they can never disagree about
/// what an encoding means.
/// </summary>
/// <param name="Rt">The GPR MFC0/MTC0/DI/EI/RDPGPR/WRPGPR read or write (bits 20:16).</param>
/// <param name="Rd">The GPR RDPGPR/WRPGPR write (bits 15:11).</param>
/// <param name="Register">For MFC0/MTC0: the CP0 register as <c>rd * 8 + sel</c> (<see cref="Cp0Register"/>).</param>
public readonly record struct PrivilegedInstruction(PrivilegedOp Op, int Rt, int Rd, int Register)
{
    private const uint Cop0Opcode = 0x10;
    private const uint CacheOpcode = 0x2F;
    private const uint CoBit = 1u << 25;

    /// <summary>Whether <paramref name="insn"/> is COP0 or CACHE: the instructions that need kernel mode or CU0.</summary>
    public static bool IsPrivileged(uint insn) => (insn >> 26) is Cop0Opcode or CacheOpcode;

    public static PrivilegedInstruction Decode(uint insn)
    {
        int rt = (int)((insn >> 16) & 31);
        int rd = (int)((insn >> 11) & 31);
        int register = (int)(((insn >> 8) & 0xF8) | (insn & 7));
        return new PrivilegedInstruction(OpOf(insn), rt, rd, register);
    }

    private static PrivilegedOp OpOf(uint insn)
    {
        if ((insn >> 26) == CacheOpcode)
        {
            return PrivilegedOp.Cache;
        }

        if ((insn >> 26) != Cop0Opcode)
        {
            return PrivilegedOp.Reserved;
        }

        if ((insn & CoBit) != 0)
        {
            return (insn & 63) switch
            {
                0x01 => PrivilegedOp.Tlbr,
                0x02 => PrivilegedOp.Tlbwi,
                0x06 => PrivilegedOp.Tlbwr,
                0x08 => PrivilegedOp.Tlbp,
                0x18 => PrivilegedOp.Eret,
                0x20 => PrivilegedOp.Wait,
                _ => PrivilegedOp.Reserved, // DERET outside debug mode, and unassigned functions
            };
        }

        return ((insn >> 21) & 31) switch
        {
            0x00 => PrivilegedOp.Mfc0,
            0x04 => PrivilegedOp.Mtc0,
            0x0A => PrivilegedOp.Rdpgpr,
            0x0E => PrivilegedOp.Wrpgpr,
            0x0B when (insn & 0xFFE0FFDF) == 0x41606000 => (insn & 0x20) != 0 ? PrivilegedOp.Ei : PrivilegedOp.Di,
            _ => PrivilegedOp.Reserved,
        };
    }

    /// <summary>TLBR and TLBP read the TLB (the monitor must pass the guest's virtual TLB along).</summary>
    public bool ReadsTlb => Op is PrivilegedOp.Tlbr or PrivilegedOp.Tlbp;

    /// <summary>TLBWI and TLBWR write the TLB (the monitor intercepts them).</summary>
    public bool WritesTlb => Op is PrivilegedOp.Tlbwi or PrivilegedOp.Tlbwr;

    /// <summary>The assembler mnemonic; "cop0" for an encoding the CPU does not implement.</summary>
    public string Mnemonic => MnemonicOf(Op);

    public static string MnemonicOf(PrivilegedOp op) => op switch
    {
        PrivilegedOp.Mfc0 => "mfc0",
        PrivilegedOp.Mtc0 => "mtc0",
        PrivilegedOp.Tlbr => "tlbr",
        PrivilegedOp.Tlbwi => "tlbwi",
        PrivilegedOp.Tlbwr => "tlbwr",
        PrivilegedOp.Tlbp => "tlbp",
        PrivilegedOp.Eret => "eret",
        PrivilegedOp.Wait => "wait",
        PrivilegedOp.Di => "di",
        PrivilegedOp.Ei => "ei",
        PrivilegedOp.Cache => "cache",
        PrivilegedOp.Rdpgpr => "rdpgpr",
        PrivilegedOp.Wrpgpr => "wrpgpr",
        _ => "cop0",
    };
}
