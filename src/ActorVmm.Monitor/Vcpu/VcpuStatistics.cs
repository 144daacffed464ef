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
    long ContextSwitches)
{
    /// <summary>What the L2 TLB was allowed to serve.</summary>
    public L2TlbMode L2TlbMode { get; init; }

    /// <summary>With <see cref="Monitor.L2TlbMode.Disco"/>: guest refills the monitor did itself, and the guest instructions they stood for.</summary>
    public long L2GuestRefills { get; init; }

    public long L2GuestInstructionsSaved { get; init; }

    /// <summary>The guest registered a special page: a paravirtual kernel (docs/HYPERCALLS.md).</summary>
    public bool Paravirtual { get; init; }
}
