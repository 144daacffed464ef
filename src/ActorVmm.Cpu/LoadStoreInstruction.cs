namespace ActorVmm.Cpu;

/// <summary>
/// The memory operation of a load or store word, decoded for a host that emulates the access
/// itself (the monitor, for a guest's device page).
/// </summary>
public readonly record struct LoadStoreInstruction(bool IsStore, int Size, bool SignExtend, int Rt, int Rs, short Offset)
{
    /// <summary>Plain LB/LBU/LH/LHU/LW/SB/SH/SW; the partial-word and atomic forms are not device accesses.</summary>
    public static bool TryDecode(uint insn, out LoadStoreInstruction access)
    {
        int rs = (int)((insn >> 21) & 31);
        int rt = (int)((insn >> 16) & 31);
        short offset = (short)insn;
        access = (insn >> 26) switch
        {
            0x20 => new(false, 1, true, rt, rs, offset),
            0x24 => new(false, 1, false, rt, rs, offset),
            0x21 => new(false, 2, true, rt, rs, offset),
            0x25 => new(false, 2, false, rt, rs, offset),
            0x23 => new(false, 4, false, rt, rs, offset),
            0x28 => new(true, 1, false, rt, rs, offset),
            0x29 => new(true, 2, false, rt, rs, offset),
            0x2B => new(true, 4, false, rt, rs, offset),
            _ => default,
        };
        return access.Size != 0;
    }

    /// <summary>The register value a load of <paramref name="raw"/> leaves in rt.</summary>
    public uint Extend(uint raw) => Size switch
    {
        1 => SignExtend ? (uint)(sbyte)raw : raw & 0xFF,
        2 => SignExtend ? (uint)(short)raw : raw & 0xFFFF,
        _ => raw,
    };
}
