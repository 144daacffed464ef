namespace ActorVmm.Cpu;

/// <summary>CP0 Cause register fields (MIPS32 PRA).</summary>
public static class CauseBits
{
    public const int ExcCodeShift = 2;
    public const uint ExcCodeMask = 0x1Fu << ExcCodeShift;
    public const uint IPShift = 8;
    public const uint IPMask = 0xFFu << 8;
    public const uint IPSoftwareMask = 3u << 8;
    public const uint IP7 = 1u << 15;
    public const uint IV = 1u << 23;
    public const uint DC = 1u << 27;
    public const int CEShift = 28;
    public const uint CEMask = 3u << CEShift;
    public const uint TI = 1u << 30;
    public const uint BD = 1u << 31;

    public const uint WritableMask = IV | DC | IPSoftwareMask;
}
