using System.Runtime.InteropServices;

namespace ActorVmm.Memory;

/// <summary>
/// The machine pages shared copy-on-write and the index that finds them by content: a page
/// here is read-only for every owner (a write gets the writer its own copy), and the index
/// maps a hash of the 4 KB to the shared pages holding those bytes (compared in full before
/// any page joins, so a hash collision merges nothing).
/// </summary>
public sealed class SharedPages
{
    private readonly MemoryBlock _memory;
    private readonly bool[] _copyOnWrite;
    private readonly Dictionary<ulong, List<uint>> _byContent = new();
    private readonly Dictionary<uint, ulong> _hashOf = new();

    public SharedPages(MemoryBlock memory, uint pageCount)
    {
        _memory = memory;
        _copyOnWrite = new bool[pageCount];
    }

    /// <summary>Machine pages shared copy-on-write now.</summary>
    public int Count => _hashOf.Count;

    public bool IsShared(Mpn mpn) => _copyOnWrite[mpn.Value];

    /// <summary>A shared page holding exactly <paramref name="content"/>, if there is one.</summary>
    public bool TryFind(ReadOnlySpan<byte> content, ulong hash, out Mpn mpn)
    {
        if (_byContent.TryGetValue(hash, out var candidates))
        {
            foreach (uint m in candidates)
            {
                if (_memory.Slice((ulong)m << MachinePage.Shift, MachinePage.Size).SequenceEqual(content))
                {
                    mpn = new Mpn(m);
                    return true;
                }
            }
        }

        mpn = default;
        return false;
    }

    /// <summary>The page becomes shared (read-only for its owners), findable by its content.</summary>
    public void Add(Mpn mpn, ulong hash)
    {
        _copyOnWrite[mpn.Value] = true;
        _hashOf[mpn.Value] = hash;
        if (!_byContent.TryGetValue(hash, out var list))
        {
            _byContent[hash] = list = new List<uint>(1);
        }

        list.Add(mpn.Value);
    }

    /// <summary>The page is private again (its last owner writes it) or free.</summary>
    public void Remove(Mpn mpn)
    {
        if (!_hashOf.Remove(mpn.Value, out ulong hash))
        {
            return;
        }

        _copyOnWrite[mpn.Value] = false;
        var list = _byContent[hash];
        list.Remove(mpn.Value);
        if (list.Count == 0)
        {
            _byContent.Remove(hash);
        }
    }

    /// <summary>A 64-bit hash of a page: fast, deterministic from run to run (unlike <see cref="HashCode"/>).</summary>
    public static ulong Hash(ReadOnlySpan<byte> page)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (ulong w in MemoryMarshal.Cast<byte, ulong>(page))
        {
            h = (h ^ w) * 0xBF58476D1CE4E5B9UL;
            h ^= h >> 31;
        }

        return h;
    }
}
