using System.Collections.Immutable;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>One guest page of a checkpoint: its PPN and its content's id.</summary>
public readonly record struct ManifestEntry(Ppn Ppn, PageId Id);

/// <summary>
/// A checkpoint's pmap by content: every guest page the VM had at the checkpoint (PPN order)
/// and the id of its bytes. A page the VM never had is not in it (it is zero on first use,
/// after a restore as before). The next checkpoint's manifest is this one with the pages
/// written since replaced (<see cref="With"/>): nothing else is read or hashed.
/// </summary>
public sealed class PageManifest
{
    public static PageManifest Empty { get; } = new([]);

    public PageManifest(ImmutableArray<ManifestEntry> entries)
    {
        for (int i = 1; i < entries.Length; i++)
        {
            if (entries[i].Ppn.Value <= entries[i - 1].Ppn.Value)
            {
                throw new ArgumentException("a manifest lists each PPN once, in order", nameof(entries));
            }
        }

        Entries = entries;
    }

    public ImmutableArray<ManifestEntry> Entries { get; }

    public int Count => Entries.Length;

    /// <summary>This manifest with <paramref name="written"/> (PPN order) added or replacing their PPN's entry.</summary>
    public PageManifest With(IReadOnlyList<ManifestEntry> written)
    {
        var merged = ImmutableArray.CreateBuilder<ManifestEntry>(Entries.Length + written.Count);
        int i = 0, j = 0;
        while (i < Entries.Length || j < written.Count)
        {
            if (j == written.Count || (i < Entries.Length && Entries[i].Ppn.Value < written[j].Ppn.Value))
            {
                merged.Add(Entries[i++]);
            }
            else
            {
                if (i < Entries.Length && Entries[i].Ppn == written[j].Ppn)
                {
                    i++;
                }

                merged.Add(written[j++]);
            }
        }

        return new PageManifest(merged.ToImmutable());
    }
}
