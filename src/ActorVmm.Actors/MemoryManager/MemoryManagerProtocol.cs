using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Messages the MemoryManager actor, owner of the node's machine memory, serves, and their replies.</summary>
public static class MemoryManagerProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>Give a VM a pmap of <paramref name="MemoryBytes"/> and place its kernel image.</summary>
    public sealed record RegisterVm(int Vm, uint MemoryBytes, BootPlan Image) : IMessage;

    public sealed record VmRegistered(int Vm, int ImagePages) : IMessage;

    /// <summary>The VM could not be given memory (the reason names what is missing).</summary>
    public sealed record VmRefused(int Vm, string Reason) : IMessage;

    /// <summary>
    /// PPN → MPN for each page, allocating on first use; a page outside the VM is refused.
    /// <paramref name="Correlation"/> comes back in the reply so the asker can match it.
    /// </summary>
    public sealed record TranslatePages(int Vm, ImmutableArray<Ppn> Pages, long Correlation) : IMessage
    {
        /// <summary>What to do with the pages: translate them (the default), or a paravirtual or copy-on-write operation.</summary>
        public PageOperation Operation { get; init; }
    }

    public sealed record PagesTranslated(int Vm, long Correlation, ImmutableArray<GuestPageMapping> Mappings) : IMessage;

    /// <summary>A halted VM's machine pages go back to the allocator.</summary>
    public sealed record ReleaseVm(int Vm) : IMessage;

    public sealed record VmReleased(int Vm, uint Pages) : IMessage;

    /// <summary>Replied with <see cref="MemoryUsage"/>.</summary>
    public sealed record GetUsage : IMessage;

    /// <summary>Root → memory manager, between epochs: every VM is at the same simulated time, a moment to sample the page counts (no reply).</summary>
    public sealed record EpochEnded(long Epoch) : IMessage;

    /// <summary>
    /// Root → memory manager, between epochs while no vCPU runs: scan up to
    /// <paramref name="Budget"/> private pages of <paramref name="Vms"/> and merge identical ones
    /// (<c>monitor.page-sharing.content</c>). Replied with <see cref="SharingScanned"/>.
    /// </summary>
    public sealed record ScanForSharing(int Budget, ImmutableArray<int> Vms) : IMessage;

    /// <summary>The pages whose machine page changed, per VM: their vCPUs must learn them before they run again.</summary>
    public sealed record SharingScanned(ImmutableArray<VmRemap> Remaps) : IMessage;

    public sealed record VmRemap(int Vm, ImmutableArray<GuestPageMapping> Mappings);

    /// <summary>
    /// GuestVm → its node's memory manager: copy the VM's pages into <paramref name="Target"/>
    /// (another node's memory manager), then give its machine pages back here. Replied with
    /// <see cref="VmExported"/> once the target has every page, or <see cref="ExportFailed"/>.
    /// </summary>
    public sealed record ExportVm(int Vm, IActorRef Target) : IMessage;

    public sealed record VmExported(int Vm, int Pages, long Bytes) : IMessage;

    public sealed record ExportFailed(int Vm, string Reason) : IMessage;

    /// <summary>
    /// Memory manager → memory manager: a chunk of a moving VM's pages (below Akka.Remote's
    /// frame size). The first chunk gives the VM a pmap of <paramref name="MemoryBytes"/> here.
    /// </summary>
    public sealed record ImportPages(int Vm, uint MemoryBytes, long Chunk, ImmutableArray<GuestPageImage> Pages) : IMessage;

    /// <summary>The reply to each <see cref="ImportPages"/>: the chunk is in this node's machine memory.</summary>
    public sealed record PagesImported(int Vm, long Chunk) : IMessage;

    /// <summary>The refusal of an <see cref="ImportPages"/> (no machine memory left, a bad page); nothing of the VM stays.</summary>
    public sealed record ImportRefused(int Vm, long Chunk, string Reason) : IMessage;

    /// <summary>
    /// GuestVm → its node's memory manager, for a checkpoint (between epochs): a copy of every
    /// page of the VM (<paramref name="All"/>) or of <paramref name="Pages"/>. Replied with <see cref="PagesCopied"/>.
    /// </summary>
    public sealed record CopyPages(int Vm, bool All, ImmutableArray<Ppn> Pages) : IMessage;

    public sealed record PagesCopied(int Vm, ImmutableArray<GuestPageImage> Pages) : IMessage;
}
