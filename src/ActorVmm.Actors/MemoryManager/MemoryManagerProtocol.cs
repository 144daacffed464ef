using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;

namespace ActorVmm.Actors;

/// <summary>Messages the MemoryManager actor, owner of the node's machine memory, serves, and their replies.</summary>
public static class MemoryManagerProtocol
{
    /// <summary>Give a VM a pmap of <paramref name="MemoryBytes"/> and place its kernel image.</summary>
    public sealed record RegisterVm(int Vm, uint MemoryBytes, BootPlan Image);

    public sealed record VmRegistered(int Vm, int ImagePages);

    /// <summary>The VM could not be given memory (the reason names what is missing).</summary>
    public sealed record VmRefused(int Vm, string Reason);

    /// <summary>
    /// PPN → MPN for each page, allocating on first use; a page outside the VM is refused.
    /// <paramref name="Correlation"/> comes back in the reply so the asker can match it.
    /// </summary>
    public sealed record TranslatePages(int Vm, ImmutableArray<Ppn> Pages, long Correlation)
    {
        /// <summary>What to do with the pages: translate them (the default), or a paravirtual or copy-on-write operation.</summary>
        public PageOperation Operation { get; init; }
    }

    public sealed record PagesTranslated(int Vm, long Correlation, ImmutableArray<GuestPageMapping> Mappings);

    /// <summary>A halted VM's machine pages go back to the allocator.</summary>
    public sealed record ReleaseVm(int Vm);

    public sealed record VmReleased(int Vm, uint Pages);

    /// <summary>Replied with <see cref="MemoryUsage"/>.</summary>
    public sealed record GetUsage;

    /// <summary>Root → memory manager, between epochs: every VM is at the same simulated time, a moment to sample the page counts (no reply).</summary>
    public sealed record EpochEnded(long Epoch);

    /// <summary>
    /// Root → memory manager, between epochs while no vCPU runs: scan up to
    /// <paramref name="Budget"/> private pages of <paramref name="Vms"/> and merge identical ones
    /// (<c>monitor.page-sharing.content</c>). Replied with <see cref="SharingScanned"/>.
    /// </summary>
    public sealed record ScanForSharing(int Budget, ImmutableArray<int> Vms);

    /// <summary>The pages whose machine page changed, per VM: their vCPUs must learn them before they run again.</summary>
    public sealed record SharingScanned(ImmutableArray<VmRemap> Remaps);

    public sealed record VmRemap(int Vm, ImmutableArray<GuestPageMapping> Mappings);
}
