namespace ActorVmm.Cpu.Board;

/// <summary>What a machine (bare or virtual) is booted with.</summary>
public sealed record BootConfiguration(uint MemorySize, string CommandLine = "", uint CpuCount = 1, int TlbSize = 64)
{
    public const uint DefaultMemorySize = 16u << 20;
    public const uint MinimumMemorySize = 1u << 20;
    public const uint MaximumMemorySize = 256u << 20;
    public const int MaximumCommandLine = 1024;
}
