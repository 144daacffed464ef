namespace ActorVmm.Memory;

/// <summary>
/// Disco's memmap: for each machine page, who uses it: the (VM, guest-physical page) pairs
/// mapped to it. A private page has one owner; a page shared copy-on-write between VMs (or
/// between pages of one VM) has several, and is freed when the last one goes. The first owner
/// is kept inline, the others only for the few pages that have them.
/// </summary>
public sealed class Memmap
{
    private readonly (int VmId, uint Ppn)[] _first;
    private readonly Dictionary<uint, List<(int VmId, uint Ppn)>> _more = new();

    public Memmap(uint pageCount)
    {
        _first = new (int, uint)[pageCount];
        Array.Fill(_first, (-1, 0u));
    }

    /// <summary>A page's only owner (a page just allocated).</summary>
    public void SetOwner(Mpn mpn, int vmId, Ppn ppn)
    {
        _first[mpn.Value] = (vmId, ppn.Value);
        _more.Remove(mpn.Value);
    }

    /// <summary>One more (VM, PPN) mapped to the page.</summary>
    public void AddOwner(Mpn mpn, int vmId, Ppn ppn)
    {
        if (_first[mpn.Value].VmId < 0)
        {
            _first[mpn.Value] = (vmId, ppn.Value);
            return;
        }

        if (!_more.TryGetValue(mpn.Value, out var list))
        {
            _more[mpn.Value] = list = new List<(int, uint)>(2);
        }

        list.Add((vmId, ppn.Value));
    }

    /// <summary>(VM, PPN) no longer maps the page; returns how many owners it has left (0: free it).</summary>
    public int RemoveOwner(Mpn mpn, int vmId, Ppn ppn)
    {
        var owner = (vmId, ppn.Value);
        _more.TryGetValue(mpn.Value, out var list);
        if (_first[mpn.Value] == owner)
        {
            if (list is { Count: > 0 })
            {
                _first[mpn.Value] = list[^1];
                list.RemoveAt(list.Count - 1);
            }
            else
            {
                _first[mpn.Value] = (-1, 0);
            }
        }
        else if (list is null || !list.Remove(owner))
        {
            throw new InvalidOperationException($"VM {vmId} {ppn} does not map {mpn}");
        }

        if (list is { Count: 0 })
        {
            _more.Remove(mpn.Value);
        }

        return OwnerCount(mpn);
    }

    public int OwnerCount(Mpn mpn) =>
        (_first[mpn.Value].VmId >= 0 ? 1 : 0) + (_more.TryGetValue(mpn.Value, out var list) ? list.Count : 0);

    /// <summary>Every (VM, PPN) mapped to the page.</summary>
    public IEnumerable<(int VmId, Ppn Ppn)> OwnersOf(Mpn mpn)
    {
        var (vm, page) = _first[mpn.Value];
        if (vm >= 0)
        {
            yield return (vm, new Ppn(page));
        }

        if (_more.TryGetValue(mpn.Value, out var list))
        {
            foreach (var (v, p) in list)
            {
                yield return (v, new Ppn(p));
            }
        }
    }

    public void Clear(Mpn mpn)
    {
        _first[mpn.Value] = (-1, 0);
        _more.Remove(mpn.Value);
    }

    /// <summary>The page's first owner, if it has one.</summary>
    public bool TryGetOwner(Mpn mpn, out int vmId, out Ppn ppn)
    {
        var (vm, page) = _first[mpn.Value];
        vmId = vm;
        ppn = new Ppn(page);
        return vm >= 0;
    }
}
