namespace ActorVmm.Memory;

/// <summary>What a VM asks the memory manager to do with guest-physical pages (each answered with a <see cref="GuestPageMapping"/>).</summary>
public enum PageOperation : byte
{
    /// <summary>PPN → MPN, allocating a zeroed machine page on first use.</summary>
    Translate,

    /// <summary>As <see cref="Translate"/>, and the page stays the VM's own: never shared, so the monitor may write it (a special page).</summary>
    Pin,

    /// <summary>The page must read as zeros from now on (a paravirtual guest's request): the shared zero page under sharing, else zeroed.</summary>
    Zero,

    /// <summary>The guest no longer needs the page's contents (a paravirtual guest's hint): its machine page goes back.</summary>
    Release,

    /// <summary>The VM wrote a page it shares copy-on-write: give it its own copy.</summary>
    CopyOnWrite,
}
