namespace ActorVmm.Memory;

/// <summary>
/// The vCPU's copy of what the memory manager told it about its VM's pages (PPN → MPN,
/// device, refused). Facts only arrive in memory-manager replies; nothing is shared.
/// </summary>
public sealed class GuestPageCache
{
    private const uint Unknown = 0;
    private const uint SharedBit = 0x80000000; // machine memory never has 2^31 pages
    private readonly uint[] _inside; // (MPN + 1) | SharedBit when copy-on-write, or 0 when not yet asked
    private readonly Dictionary<uint, GuestPageMapping> _other = new();

    public GuestPageCache(uint vmPages) => _inside = new uint[vmPages];

    public bool TryGet(Ppn ppn, out GuestPageMapping mapping)
    {
        if (ppn.Value < (uint)_inside.Length)
        {
            uint v = _inside[ppn.Value];
            mapping = new GuestPageMapping(ppn, GuestPageKind.Memory, new Mpn((v & ~SharedBit) - 1), Shared: (v & SharedBit) != 0);
            return v != Unknown;
        }

        return _other.TryGetValue(ppn.Value, out mapping);
    }

    /// <summary>A new answer for a page; it replaces an earlier one (the page was remapped, or has no machine page any more).</summary>
    public void Add(GuestPageMapping mapping)
    {
        bool inside = mapping.Ppn.Value < (uint)_inside.Length;
        if (mapping.Kind == GuestPageKind.Memory && inside)
        {
            _inside[mapping.Ppn.Value] = (mapping.Mpn.Value + 1) | (mapping.Shared ? SharedBit : 0);
        }
        else if (mapping.Kind == GuestPageKind.Unbacked && inside)
        {
            _inside[mapping.Ppn.Value] = Unknown;
        }
        else if (mapping.Kind is not (GuestPageKind.MachineMemoryExhausted or GuestPageKind.Unbacked))
        {
            _other[mapping.Ppn.Value] = mapping;
        }
    }

    /// <summary>The facts that name no machine page (the device page, pages refused): they hold on any node.</summary>
    public IEnumerable<GuestPageMapping> NonMemoryFacts() => _other.Values.Where(m => m.Kind != GuestPageKind.Memory).OrderBy(m => m.Ppn.Value);

    /// <summary>Every machine page this vCPU knows of, for checkpoints.</summary>
    public IEnumerable<GuestPageMapping> Known()
    {
        for (uint i = 0; i < _inside.Length; i++)
        {
            if (_inside[i] != Unknown)
            {
                yield return new GuestPageMapping(new Ppn(i), GuestPageKind.Memory, new Mpn((_inside[i] & ~SharedBit) - 1), Shared: (_inside[i] & SharedBit) != 0);
            }
        }

        foreach (var m in _other.Values)
        {
            yield return m;
        }
    }
}
