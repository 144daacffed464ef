namespace ActorVmm.Monitor;

/// <summary>The L2 TLB's size when a caller does not say (the reference configuration's <c>monitor.l2-tlb-entries</c>).</summary>
public static class L2TlbDefaults
{
    public const int Entries = 1024;
}
