namespace ActorVmm.Memory;

/// <summary>One VM's physical-to-machine map (Disco's pmap): PPN → MPN for the pages it has touched.</summary>
public sealed class Pmap
{
    private const uint Unmapped = uint.MaxValue;
    private readonly uint[] _mpns;

    public Pmap(int vmId, uint pageCount)
    {
        VmId = vmId;
        _mpns = new uint[pageCount];
        Array.Fill(_mpns, Unmapped);
    }

    public int VmId { get; }

    /// <summary>Pages of guest-physical memory the VM was given.</summary>
    public uint PageCount => (uint)_mpns.Length;

    public uint MappedPages { get; private set; }

    public bool Contains(Ppn ppn) => ppn.Value < (uint)_mpns.Length;

    public bool TryGet(Ppn ppn, out Mpn mpn)
    {
        if (Contains(ppn) && _mpns[ppn.Value] != Unmapped)
        {
            mpn = new Mpn(_mpns[ppn.Value]);
            return true;
        }

        mpn = default;
        return false;
    }

    public void Map(Ppn ppn, Mpn mpn)
    {
        if (!Contains(ppn))
        {
            throw new ArgumentOutOfRangeException(nameof(ppn), $"{ppn} is outside VM {VmId}'s {PageCount} pages");
        }

        if (_mpns[ppn.Value] != Unmapped)
        {
            throw new InvalidOperationException($"VM {VmId}: {ppn} is already mapped to MPN 0x{_mpns[ppn.Value]:X}");
        }

        _mpns[ppn.Value] = mpn.Value;
        MappedPages++;
    }

    /// <summary>The page is now backed by another machine page (a copy-on-write copy, a merge with an identical page).</summary>
    public void Remap(Ppn ppn, Mpn mpn)
    {
        if (!TryGet(ppn, out _))
        {
            throw new InvalidOperationException($"VM {VmId}: {ppn} is not mapped");
        }

        _mpns[ppn.Value] = mpn.Value;
    }

    /// <summary>The page has no machine page any more (the guest freed it).</summary>
    public void Unmap(Ppn ppn)
    {
        if (!TryGet(ppn, out _))
        {
            throw new InvalidOperationException($"VM {VmId}: {ppn} is not mapped");
        }

        _mpns[ppn.Value] = Unmapped;
        MappedPages--;
    }

    /// <summary>Every mapped page, for releasing them or checkpointing the map.</summary>
    public IEnumerable<(Ppn Ppn, Mpn Mpn)> Mappings()
    {
        for (uint i = 0; i < _mpns.Length; i++)
        {
            if (_mpns[i] != Unmapped)
            {
                yield return (new Ppn(i), new Mpn(_mpns[i]));
            }
        }
    }
}
