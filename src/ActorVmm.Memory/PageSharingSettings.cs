namespace ActorVmm.Memory;

/// <summary>
/// Transparent page sharing between VMs (<c>monitor.page-sharing</c>).
/// <paramref name="Images"/>: identical pages of the VMs' boot images (kernel text, embedded
/// programs) are shared copy-on-write from the start. <paramref name="Content"/>: between
/// epochs the memory manager hashes up to <paramref name="ScanRate"/> of the VMs' private
/// pages, and merges those identical to a shared page or to each other.
/// </summary>
public sealed record PageSharingSettings(bool Images, bool Content, int ScanRate)
{
    public static PageSharingSettings Off { get; } = new(false, false, 0);

    /// <summary>Any sharing at all: then a paravirtual guest's zero request maps the shared zero page.</summary>
    public bool Enabled => Images || Content;
}
