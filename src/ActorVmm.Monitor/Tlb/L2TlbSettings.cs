namespace ActorVmm.Monitor;

/// <summary>A VM's L2 TLB: what it may serve (<c>monitor.l2-tlb</c>) and, for Disco's, how many evicted entries it keeps (<c>monitor.l2-tlb-entries</c>).</summary>
public sealed record L2TlbSettings(L2TlbMode Mode, int Entries = L2TlbDefaults.Entries)
{
    public static L2TlbSettings Exact { get; } = new(L2TlbMode.Exact);

    public static L2TlbSettings Disco { get; } = new(L2TlbMode.Disco);
}
