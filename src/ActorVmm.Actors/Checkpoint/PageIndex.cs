using System.Collections.Concurrent;
using ActorVmm.Monitor;

namespace ActorVmm.Actors;

/// <summary>
/// Which page contents the checkpoint store already holds, and where, as one node knows it:
/// every VM's checkpoints on the node add the pages they store and those their last manifest
/// names, so a page identical to one of another VM or of an earlier checkpoint is referenced,
/// not stored again. Shared by the node's <see cref="VmCheckpoints"/> (each on its own VM's thread).
/// </summary>
public sealed class PageIndex
{
    private readonly ConcurrentDictionary<PageId, PageSource> _stored = new();

    public int Count => _stored.Count;

    public bool Contains(PageId id) => _stored.ContainsKey(id);

    public bool TryGet(PageId id, out PageSource source) => _stored.TryGetValue(id, out source);

    public void Add(PageId id, PageSource source) => _stored.TryAdd(id, source);

    /// <summary>A VM's history was forgotten (a fresh run): its pages may no longer be referenced.</summary>
    public void Forget(string persistenceId)
    {
        foreach (var (id, source) in _stored)
        {
            if (source.PersistenceId == persistenceId)
            {
                _stored.TryRemove(id, out _);
            }
        }
    }
}
