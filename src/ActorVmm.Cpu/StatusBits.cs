namespace ActorVmm.Cpu;

/// <summary>CP0 Status register fields (MIPS32 PRA).</summary>
public static class StatusBits
{
    public const uint IE = 1u << 0;
    public const uint EXL = 1u << 1;
    public const uint ERL = 1u << 2;
    public const int KsuShift = 3;
    public const uint KsuMask = 3u << KsuShift;
    public const uint IMShift = 8;
    public const uint IMMask = 0xFFu << 8;
    public const uint IM7 = 1u << 15;
    public const uint NMI = 1u << 19;
    public const uint SR = 1u << 20;
    public const uint TS = 1u << 21;
    public const uint BEV = 1u << 22;
    public const uint CU0 = 1u << 28;
    public const uint CU1 = 1u << 29;

    /// <summary>
    /// Bits software may change on this FPU-less 24Kc: CU1 is absent so that COP1 always
    /// raises Coprocessor Unusable; RP, FR, RE, MX are not implemented.
    /// </summary>
    public const uint WritableMask = CU0 | BEV | TS | SR | NMI | IMMask | KsuMask | ERL | EXL | IE;

    /// <summary>Set by hardware events; software can only clear them.</summary>
    public const uint ClearOnlyMask = TS | SR | NMI;
}
