using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>A vCPU's counters at the end of a run, for the report.</summary>
public sealed record VcpuStatistics(
    VcpuKey Vcpu,
    long GuestInstructions,
    long KernelInstructions,
    long UserInstructions,
    long ConsumedCycles,
    long IdleCycles,
    long L2TlbHits,
    LedgerSnapshot Ledger,
    IReadOnlyDictionary<string, long> Traps,
    ServiceProfileSnapshot Services,
    long ContextSwitches);
