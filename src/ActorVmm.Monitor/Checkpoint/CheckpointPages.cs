using System.Collections.Immutable;

namespace ActorVmm.Monitor;

/// <summary>A page's bytes under its content id: what a checkpoint store keeps once per id.</summary>
public sealed record StoredPage(PageId Id, ImmutableArray<byte> Bytes);

/// <summary>
/// A captured checkpoint's pages by content: its manifest (the previous checkpoint's, with the
/// captured pages' new ids), the pages whose content the store does not hold yet, and how many
/// captured pages it already held (identical pages in this VM, in another VM, in an earlier
/// checkpoint): those are stored once.
/// </summary>
public sealed record CheckpointPages(PageManifest Manifest, ImmutableArray<StoredPage> New, int Shared)
{
    /// <param name="previous">The VM's last checkpoint's manifest (ignored for a full capture).</param>
    /// <param name="stored">Whether the store already holds a page of this content.</param>
    public static CheckpointPages Of(CheckpointCapture capture, PageManifest previous, Func<PageId, bool> stored) =>
        Of(capture.Pages, capture.Full, previous, stored);

    /// <param name="pages">The captured pages: every page of the VM when <paramref name="full"/>, else those written since <paramref name="previous"/>.</param>
    public static CheckpointPages Of(IReadOnlyList<Memory.GuestPageImage> pages, bool full, PageManifest previous, Func<PageId, bool> stored)
    {
        var capture = (Pages: pages, Full: full);
        var written = new List<ManifestEntry>(capture.Pages.Count);
        var fresh = ImmutableArray.CreateBuilder<StoredPage>();
        var inThis = new HashSet<PageId>();
        int shared = 0;
        foreach (var page in capture.Pages)
        {
            var id = PageId.Of(page.Bytes.AsSpan());
            written.Add(new ManifestEntry(page.Ppn, id));
            if (stored(id) || !inThis.Add(id))
            {
                shared++;
            }
            else
            {
                fresh.Add(new StoredPage(id, page.Bytes));
            }
        }

        written.Sort((a, b) => a.Ppn.Value.CompareTo(b.Ppn.Value));
        var manifest = (capture.Full ? PageManifest.Empty : previous).With(written);
        return new CheckpointPages(manifest, fresh.ToImmutable(), shared);
    }
}
