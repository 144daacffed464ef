namespace ActorVmm.Memory;

/// <summary>
/// The monitor's memory logic for one node, without actors: the allocator, every VM's pmap,
/// the memmap and the page accounting. A VM's PPN becomes an MPN on first use; a PPN outside
/// the VM is refused.
/// </summary>
public sealed class MachineMemoryManager
{
    private readonly MpnAllocator _allocator;
    private readonly Memmap _memmap;
    private readonly Dictionary<int, Pmap> _pmaps = new();

    // Machine pages each VM was given over its life, released ones included (for the report).
    private readonly Dictionary<int, uint> _pagesByVm = new();

    public MachineMemoryManager(MemoryBlock machineMemory, uint devicePpn)
    {
        MachineMemory = machineMemory;
        DevicePpn = new Ppn(devicePpn);
        uint pages = (uint)machineMemory.PageCount;
        _allocator = new MpnAllocator(pages);
        _memmap = new Memmap(pages);
    }

    public MemoryBlock MachineMemory { get; }

    public Ppn DevicePpn { get; }

    public uint FreePages => _allocator.Free;

    public uint AllocatedPages => _allocator.Allocated;

    public IReadOnlyCollection<int> Vms => _pmaps.Keys;

    /// <summary>The most machine pages ever allocated at once.</summary>
    public uint PeakAllocatedPages { get; private set; }

    public MemoryUsage Usage() =>
        new((uint)MachineMemory.PageCount, AllocatedPages, new Dictionary<int, uint>(_pagesByVm), PeakAllocatedPages);

    public Pmap AddVm(int vmId, ulong memoryBytes)
    {
        if (_pmaps.ContainsKey(vmId))
        {
            throw new InvalidOperationException($"VM {vmId} already has a pmap");
        }

        var pmap = new Pmap(vmId, (uint)(memoryBytes >> MachinePage.Shift));
        _pmaps.Add(vmId, pmap);
        return pmap;
    }

    public bool HasVm(int vmId) => _pmaps.ContainsKey(vmId);

    public Pmap PmapOf(int vmId) =>
        _pmaps.TryGetValue(vmId, out var pmap) ? pmap : throw new KeyNotFoundException($"VM {vmId} has no pmap on this node");

    /// <summary>PPN → MPN for <paramref name="vmId"/>, allocating (zeroed) machine memory on first use.</summary>
    public GuestPageMapping Translate(int vmId, Ppn ppn)
    {
        if (ppn == DevicePpn)
        {
            return new GuestPageMapping(ppn, GuestPageKind.Device, default);
        }

        // A VM this node does not know has no memory here at all: refused like any page outside a VM.
        if (!_pmaps.TryGetValue(vmId, out var pmap) || !pmap.Contains(ppn))
        {
            return new GuestPageMapping(ppn, GuestPageKind.OutsideVm, default);
        }

        if (pmap.TryGet(ppn, out var mpn))
        {
            return new GuestPageMapping(ppn, GuestPageKind.Memory, mpn);
        }

        if (!_allocator.TryAllocate(out mpn))
        {
            return new GuestPageMapping(ppn, GuestPageKind.MachineMemoryExhausted, default);
        }

        // A freed page may hold another VM's data: a VM must only ever see zeros or its own bytes.
        MachineMemory.Clear(mpn.Address, MachinePage.Size);
        pmap.Map(ppn, mpn);
        _memmap.SetOwner(mpn, vmId, ppn);
        _pagesByVm[vmId] = _pagesByVm.GetValueOrDefault(vmId) + 1;
        PeakAllocatedPages = Math.Max(PeakAllocatedPages, _allocator.Allocated);
        return new GuestPageMapping(ppn, GuestPageKind.Memory, mpn, Fresh: true);
    }

    /// <summary>A copy of every page the VM has, in PPN order: what moves when the VM moves, or is saved in a checkpoint.</summary>
    public IEnumerable<GuestPageImage> Export(int vmId)
    {
        foreach (var (ppn, mpn) in PmapOf(vmId).Mappings())
        {
            yield return new GuestPageImage(ppn, [.. MachineMemory.Slice(mpn.Address, MachinePage.Size)]);
        }
    }

    /// <summary>
    /// Give the VM a machine page for <paramref name="page"/>'s PPN holding its bytes (a VM
    /// arriving on this node, or restored). False when no machine page is left, or the PPN is
    /// outside the VM or already mapped.
    /// </summary>
    public bool TryImport(int vmId, GuestPageImage page)
    {
        if (page.Bytes.Length != MachinePage.Size || !_pmaps.TryGetValue(vmId, out var pmap) || !pmap.Contains(page.Ppn) || pmap.TryGet(page.Ppn, out _))
        {
            return false;
        }

        var mapping = Translate(vmId, page.Ppn);
        if (!mapping.IsMemory)
        {
            return false;
        }

        MachineMemory.Write(mapping.Mpn.Address, page.Bytes.AsSpan());
        return true;
    }

    public bool TryGetOwner(Mpn mpn, out int vmId, out Ppn ppn) => _memmap.TryGetOwner(mpn, out vmId, out ppn);

    /// <summary>A VM that could not be set up (its image did not fit): its pages go back and it leaves no trace in the accounting.</summary>
    public void AbandonVm(int vmId)
    {
        ReleaseVm(vmId);
        _pagesByVm.Remove(vmId);
    }

    /// <summary>Give back every machine page of a VM that has halted (its count stays in the accounting, for the report).</summary>
    public uint ReleaseVm(int vmId)
    {
        if (!_pmaps.Remove(vmId, out var pmap))
        {
            return 0;
        }

        uint released = 0;
        foreach (var (_, mpn) in pmap.Mappings())
        {
            _memmap.Clear(mpn);
            _allocator.Release(mpn);
            released++;
        }

        return released;
    }
}
