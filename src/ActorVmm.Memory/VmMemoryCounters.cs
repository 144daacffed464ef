namespace ActorVmm.Memory;

/// <summary>One VM's page accounting, for the report (sharing and paravirtual page calls included).</summary>
public sealed class VmMemoryCounters
{
    /// <summary>Machine pages allocated for the VM over its life (released ones included).</summary>
    public uint PagesAllocated { get; set; }

    /// <summary>Guest-physical pages backed at once, at most.</summary>
    public uint PeakGuestPages { get; set; }

    /// <summary>Guest pages mapped to shared machine pages now.</summary>
    public uint SharedPages { get; set; }

    public uint PeakSharedPages { get; set; }

    /// <summary>Writes to shared pages that gave the VM its own copy.</summary>
    public uint CopyOnWriteBreaks { get; set; }

    /// <summary>Private pages the content scan merged into shared ones.</summary>
    public uint Merged { get; set; }

    /// <summary>Paravirtual requests: pages to read as zeros, and pages the guest freed.</summary>
    public uint ZeroRequests { get; set; }

    public uint Released { get; set; }

    public VmMemoryUsage Snapshot(uint guestPagesNow) =>
        new(PagesAllocated, guestPagesNow, PeakGuestPages, SharedPages, PeakSharedPages, CopyOnWriteBreaks, Merged, ZeroRequests, Released);
}

/// <summary>One VM's memory at a moment (see <see cref="VmMemoryCounters"/>).</summary>
public sealed record VmMemoryUsage(uint PagesAllocated, uint GuestPages, uint PeakGuestPages, uint SharedPages, uint PeakSharedPages,
    uint CopyOnWriteBreaks, uint Merged, uint ZeroRequests, uint Released);
