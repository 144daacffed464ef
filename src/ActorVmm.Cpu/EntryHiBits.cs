namespace ActorVmm.Cpu;

/// <summary>EntryHi fields: VPN2 (bits 31:13) and ASID (bits 7:0).</summary>
public static class EntryHiBits
{
    public const uint AsidMask = 0xFF;
    public const uint Vpn2Mask = 0xFFFFE000;
    public const uint WritableMask = Vpn2Mask | AsidMask;
}
