namespace ActorVmm.Memory;

/// <summary>
/// Hands out a node's machine pages. Lowest free page first, so allocation is
/// reproducible for a given request order, and freed pages are reused before new ones.
/// </summary>
public sealed class MpnAllocator
{
    private readonly ulong[] _used;
    private uint _searchFrom;

    public MpnAllocator(uint pageCount)
    {
        if (pageCount == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pageCount), "machine memory needs at least one page");
        }

        PageCount = pageCount;
        _used = new ulong[(pageCount + 63) / 64];
    }

    public uint PageCount { get; }

    public uint Allocated { get; private set; }

    public uint Free => PageCount - Allocated;

    public bool TryAllocate(out Mpn mpn)
    {
        for (uint word = _searchFrom / 64; word < _used.Length; word++)
        {
            ulong bits = _used[word];
            if (bits == ulong.MaxValue)
            {
                continue;
            }

            uint bit = (uint)System.Numerics.BitOperations.TrailingZeroCount(~bits);
            uint page = (word * 64) + bit;
            if (page >= PageCount)
            {
                break;
            }

            _used[word] = bits | (1UL << (int)bit);
            Allocated++;
            _searchFrom = page;
            mpn = new Mpn(page);
            return true;
        }

        mpn = default;
        return false;
    }

    public void Release(Mpn mpn)
    {
        if (!IsAllocated(mpn))
        {
            throw new InvalidOperationException($"{mpn} is not allocated");
        }

        _used[mpn.Value / 64] &= ~(1UL << (int)(mpn.Value % 64));
        Allocated--;
        _searchFrom = Math.Min(_searchFrom, mpn.Value);
    }

    public bool IsAllocated(Mpn mpn) =>
        mpn.Value < PageCount && (_used[mpn.Value / 64] & (1UL << (int)(mpn.Value % 64))) != 0;
}
