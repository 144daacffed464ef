namespace ActorVmm.Memory;

/// <summary>A node's machine memory at a moment, for the report.</summary>
/// <param name="PagesByVm">Machine pages each VM was given over its life (released ones included).</param>
public sealed record MemoryUsage(uint TotalPages, uint AllocatedPages, IReadOnlyDictionary<int, uint> PagesByVm, uint PeakAllocatedPages)
{
    /// <summary>Per VM: guest pages, sharing, copy-on-write breaks, paravirtual page calls.</summary>
    public IReadOnlyDictionary<int, VmMemoryUsage> Vms { get; init; } = new Dictionary<int, VmMemoryUsage>();

    /// <summary>
    /// Guest-physical pages backed, summed over the VMs, at most (sampled between epochs): the
    /// machine memory the VMs would have needed without sharing.
    /// </summary>
    public uint PeakGuestPages { get; init; }

    /// <summary>Machine pages allocated at most, sampled between epochs (beside <see cref="PeakGuestPages"/>; reproducible).</summary>
    public uint PeakAllocatedBetweenEpochs { get; init; }

    /// <summary>Machine pages shared copy-on-write now, and at most (sampled between epochs).</summary>
    public uint SharedPages { get; init; }

    public uint PeakSharedPages { get; init; }

    /// <summary>The sharing that was on.</summary>
    public PageSharingSettings Sharing { get; init; } = PageSharingSettings.Off;

    /// <summary>Pages the content scan looked at, and merged.</summary>
    public long PagesScanned { get; init; }

    public long PagesMerged { get; init; }
}
