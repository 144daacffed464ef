namespace ActorVmm.Memory;

/// <summary>
/// The monitor's memory logic for one node, without actors: the allocator, every VM's pmap,
/// the memmap and the page accounting. A VM's PPN becomes an MPN on first use; a PPN outside
/// the VM is refused. With <see cref="PageSharingSettings"/>, machine pages are also shared
/// copy-on-write between VMs (<see cref="SharedPages"/>): identical boot-image pages from the
/// start, identical pages the content scan finds between epochs, and the zero page a
/// paravirtual guest's zero request maps; a write to a shared page gets the writer its own
/// copy (<see cref="PageOperation.CopyOnWrite"/>), and a shared page is freed with its last owner.
/// </summary>
public sealed class MachineMemoryManager
{
    private readonly MpnAllocator _allocator;
    private readonly Memmap _memmap;
    private readonly SharedPages _shared;
    private readonly Dictionary<int, Pmap> _pmaps = new();
    private readonly Dictionary<int, HashSet<uint>> _pinned = new();

    // Accounting per VM, kept after a VM halts (for the report).
    private readonly Dictionary<int, VmMemoryCounters> _counters = new();

    // The content scan: where it stopped, and private pages it has seen, by content hash.
    private readonly Dictionary<ulong, (int Vm, uint Ppn)> _hints = new();
    private (int Vm, uint Ppn) _scanCursor;
    private Mpn? _zeroPage;
    private uint _guestPages;

    public MachineMemoryManager(MemoryBlock machineMemory, uint devicePpn, PageSharingSettings? sharing = null)
    {
        MachineMemory = machineMemory;
        DevicePpn = new Ppn(devicePpn);
        Sharing = sharing ?? PageSharingSettings.Off;
        uint pages = (uint)machineMemory.PageCount;
        _allocator = new MpnAllocator(pages);
        _memmap = new Memmap(pages);
        _shared = new SharedPages(machineMemory, pages);
    }

    public MemoryBlock MachineMemory { get; }

    public Ppn DevicePpn { get; }

    public PageSharingSettings Sharing { get; }

    public uint FreePages => _allocator.Free;

    public uint AllocatedPages => _allocator.Allocated;

    public IReadOnlyCollection<int> Vms => _pmaps.Keys;

    /// <summary>The most machine pages ever allocated at once.</summary>
    public uint PeakAllocatedPages { get; private set; }

    /// <summary>
    /// Guest-physical pages backed (all VMs together), machine pages allocated, and machine
    /// pages shared, at most, sampled between epochs (<see cref="SampleBetweenEpochs"/>), when
    /// every VM has reached the same simulated time: the same on every run, unlike a peak
    /// taken whenever a page is allocated, which depends on how the host interleaved the VMs.
    /// </summary>
    public uint PeakGuestPages { get; private set; }

    public uint PeakAllocatedBetweenEpochs { get; private set; }

    public uint PeakSharedPages { get; private set; }

    /// <summary>Machine pages shared copy-on-write now.</summary>
    public uint SharedPageCount => (uint)_shared.Count;

    /// <summary>Between epochs: take the samples of <see cref="PeakGuestPages"/> and the others.</summary>
    public void SampleBetweenEpochs()
    {
        PeakGuestPages = Math.Max(PeakGuestPages, _guestPages);
        PeakAllocatedBetweenEpochs = Math.Max(PeakAllocatedBetweenEpochs, AllocatedPages);
        PeakSharedPages = Math.Max(PeakSharedPages, SharedPageCount);
    }

    public long PagesScanned { get; private set; }

    public long PagesMerged { get; private set; }

    public MemoryUsage Usage() =>
        new((uint)MachineMemory.PageCount, AllocatedPages, _counters.ToDictionary(kv => kv.Key, kv => kv.Value.PagesAllocated), PeakAllocatedPages)
        {
            Vms = _counters.ToDictionary(kv => kv.Key, kv => kv.Value.Snapshot(_pmaps.TryGetValue(kv.Key, out var p) ? p.MappedPages : 0)),
            PeakGuestPages = PeakGuestPages,
            PeakAllocatedBetweenEpochs = PeakAllocatedBetweenEpochs,
            SharedPages = SharedPageCount,
            PeakSharedPages = PeakSharedPages,
            Sharing = Sharing,
            PagesScanned = PagesScanned,
            PagesMerged = PagesMerged,
        };

    public Pmap AddVm(int vmId, ulong memoryBytes)
    {
        if (_pmaps.ContainsKey(vmId))
        {
            throw new InvalidOperationException($"VM {vmId} already has a pmap");
        }

        var pmap = new Pmap(vmId, (uint)(memoryBytes >> MachinePage.Shift));
        _pmaps.Add(vmId, pmap);
        _counters.TryAdd(vmId, new VmMemoryCounters());
        return pmap;
    }

    public bool HasVm(int vmId) => _pmaps.ContainsKey(vmId);

    public Pmap PmapOf(int vmId) =>
        _pmaps.TryGetValue(vmId, out var pmap) ? pmap : throw new KeyNotFoundException($"VM {vmId} has no pmap on this node");

    public VmMemoryCounters CountersOf(int vmId) => _counters[vmId];

    /// <summary>Whether the machine page is shared copy-on-write (read-only for every owner).</summary>
    public bool IsShared(Mpn mpn) => _shared.IsShared(mpn);

    /// <summary>PPN → MPN for <paramref name="vmId"/>, allocating (zeroed) machine memory on first use.</summary>
    public GuestPageMapping Translate(int vmId, Ppn ppn) => Perform(vmId, ppn, PageOperation.Translate);

    /// <summary>Do <paramref name="operation"/> on a VM's page; a page outside the VM is refused whatever the operation.</summary>
    public GuestPageMapping Perform(int vmId, Ppn ppn, PageOperation operation)
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

        switch (operation)
        {
            case PageOperation.Zero:
                return Zero(vmId, pmap, ppn);
            case PageOperation.Release:
                return Release(vmId, pmap, ppn);
            case PageOperation.CopyOnWrite:
                return pmap.TryGet(ppn, out var shared) ? Privatize(vmId, pmap, ppn, shared) : Allocate(vmId, pmap, ppn);
            case PageOperation.Pin:
            {
                var mapping = pmap.TryGet(ppn, out var mpn) ? Privatize(vmId, pmap, ppn, mpn) : Allocate(vmId, pmap, ppn);
                if (mapping.IsMemory)
                {
                    PinnedOf(vmId).Add(ppn.Value);
                }

                return mapping;
            }

            default:
                return pmap.TryGet(ppn, out var existing)
                    ? new GuestPageMapping(ppn, GuestPageKind.Memory, existing, Shared: _shared.IsShared(existing))
                    : Allocate(vmId, pmap, ppn);
        }
    }

    /// <summary>
    /// Place one page of a VM's boot image holding <paramref name="content"/>. With image
    /// sharing it joins a shared page with the same bytes (or becomes one, for the VMs to come);
    /// otherwise it gets a private page. Returns the mapping (Fresh when a page was allocated).
    /// </summary>
    public GuestPageMapping PlaceImagePage(int vmId, Ppn ppn, ReadOnlySpan<byte> content)
    {
        if (Sharing.Images && _pmaps.TryGetValue(vmId, out var pmap) && pmap.Contains(ppn) && !pmap.TryGet(ppn, out _))
        {
            ulong hash = SharedPages.Hash(content);
            Mpn? same = content.IndexOfAnyExcept((byte)0) < 0 ? ZeroPage() : _shared.TryFind(content, hash, out var found) ? found : null;
            if (same is { } shared)
            {
                // Identical to a page already shared (another VM's image, or zeros): map that one.
                pmap.Map(ppn, shared);
                _memmap.AddOwner(shared, vmId, ppn);
                GuestPageMapped(vmId, pmap);
                SharedMapped(vmId);
                return new GuestPageMapping(ppn, GuestPageKind.Memory, shared, Shared: true);
            }

            var fresh = Allocate(vmId, pmap, ppn);
            if (fresh.IsMemory)
            {
                // Shared from the start, even with one owner, so that no VM ever holds it writable.
                MachineMemory.Write(fresh.Mpn.Address, content);
                Share(vmId, fresh.Mpn, hash);
                return fresh with { Shared = true };
            }

            return fresh;
        }

        var mapping = Translate(vmId, ppn);
        if (mapping.IsMemory)
        {
            MachineMemory.Write(mapping.Mpn.Address, content);
        }

        return mapping;
    }

    public bool TryGetOwner(Mpn mpn, out int vmId, out Ppn ppn) => _memmap.TryGetOwner(mpn, out vmId, out ppn);

    /// <summary>Every (VM, PPN) that maps the machine page.</summary>
    public IEnumerable<(int VmId, Ppn Ppn)> OwnersOf(Mpn mpn) => _memmap.OwnersOf(mpn);

    /// <summary>A VM that could not be set up (its image did not fit): its pages go back and it leaves no trace in the accounting.</summary>
    public void AbandonVm(int vmId)
    {
        ReleaseVm(vmId);
        _counters.Remove(vmId);
    }

    /// <summary>Give back every machine page of a VM that has halted (its counts stay in the accounting, for the report). Returns the pages it had.</summary>
    public uint ReleaseVm(int vmId)
    {
        if (!_pmaps.Remove(vmId, out var pmap))
        {
            return 0;
        }

        _pinned.Remove(vmId);
        uint released = 0;
        foreach (var (ppn, mpn) in pmap.Mappings())
        {
            Drop(vmId, ppn, mpn);
            _guestPages--;
            released++;
        }

        return released;
    }

    /// <summary>
    /// The content scan: hash up to <paramref name="budget"/> private pages of the VMs in
    /// <paramref name="vms"/>, from where the last scan stopped, and merge each page identical to
    /// a shared page, to the zero page, or to a private page seen before (which becomes shared
    /// too). Returns the pages whose machine page changed, per VM: the caller must tell their
    /// vCPUs before they run again (call it only while none runs, between epochs).
    /// </summary>
    public IReadOnlyList<(int Vm, GuestPageMapping Mapping)> ScanForSharing(int budget, IReadOnlyCollection<int> vms)
    {
        var remaps = new List<(int, GuestPageMapping)>();
        var order = vms.Where(_pmaps.ContainsKey).Order().ToList();
        if (order.Count == 0 || budget <= 0)
        {
            return remaps;
        }

        int start = Math.Max(0, order.FindIndex(v => v >= _scanCursor.Vm));
        uint ppnFrom = order[start] == _scanCursor.Vm ? _scanCursor.Ppn : 0;
        int scanned = 0;
        for (int i = 0; i <= order.Count && scanned < budget; i++)
        {
            int vm = order[(start + i) % order.Count];
            var pmap = _pmaps[vm];
            uint first = i == 0 ? ppnFrom : 0;
            uint ppnValue = first;
            for (; ppnValue < pmap.PageCount && scanned < budget; ppnValue++)
            {
                var ppn = new Ppn(ppnValue);
                if (!pmap.TryGet(ppn, out var mpn) || _shared.IsShared(mpn) || IsPinned(vm, ppnValue))
                {
                    continue;
                }

                scanned++;
                ScanPage(vm, pmap, ppn, mpn, remaps);
            }

            _scanCursor = ppnValue < pmap.PageCount ? (vm, ppnValue) : (order[(start + i + 1) % order.Count], 0);
        }

        PagesScanned += scanned;
        return remaps;
    }

    private void ScanPage(int vm, Pmap pmap, Ppn ppn, Mpn mpn, List<(int, GuestPageMapping)> remaps)
    {
        var content = MachineMemory.Slice(mpn.Address, MachinePage.Size);
        Mpn target;
        if (content.IndexOfAnyExcept((byte)0) < 0)
        {
            if (ZeroPage() is not { } zero)
            {
                return;
            }

            target = zero;
        }
        else
        {
            ulong hash = SharedPages.Hash(content);
            if (!_shared.TryFind(content, hash, out target))
            {
                if (!_hints.TryGetValue(hash, out var hint) || hint == (vm, ppn.Value) || !StillPrivateWith(hint, content, out var hinted))
                {
                    _hints[hash] = (vm, ppn.Value);
                    return;
                }

                // Two private pages with the same bytes: the one seen first becomes shared.
                _hints.Remove(hash);
                Share(hint.Vm, hinted, hash);
                remaps.Add((hint.Vm, new GuestPageMapping(new Ppn(hint.Ppn), GuestPageKind.Memory, hinted, Shared: true)));
                target = hinted;
            }
        }

        MoveToShared(vm, pmap, ppn, mpn, target);
        _counters[vm].Merged++;
        PagesMerged++;
        remaps.Add((vm, new GuestPageMapping(ppn, GuestPageKind.Memory, target, Shared: true)));
    }

    /// <summary>A hint is good only if its page is still mapped, private and holding the same bytes.</summary>
    private bool StillPrivateWith((int Vm, uint Ppn) hint, ReadOnlySpan<byte> content, out Mpn mpn)
    {
        mpn = default;
        return _pmaps.TryGetValue(hint.Vm, out var pmap) && pmap.TryGet(new Ppn(hint.Ppn), out mpn)
            && !_shared.IsShared(mpn) && !IsPinned(hint.Vm, hint.Ppn)
            && MachineMemory.Slice(mpn.Address, MachinePage.Size).SequenceEqual(content);
    }

    private GuestPageMapping Allocate(int vmId, Pmap pmap, Ppn ppn)
    {
        if (!_allocator.TryAllocate(out var mpn))
        {
            return new GuestPageMapping(ppn, GuestPageKind.MachineMemoryExhausted, default);
        }

        // A freed page may hold another VM's data: a VM must only ever see zeros or its own bytes.
        MachineMemory.Clear(mpn.Address, MachinePage.Size);
        pmap.Map(ppn, mpn);
        _memmap.SetOwner(mpn, vmId, ppn);
        _counters[vmId].PagesAllocated++;
        GuestPageMapped(vmId, pmap);
        PeakAllocatedPages = Math.Max(PeakAllocatedPages, _allocator.Allocated);
        return new GuestPageMapping(ppn, GuestPageKind.Memory, mpn, Fresh: true);
    }

    /// <summary>
    /// A copy of every page the VM has, in PPN order: what moves when the VM moves, or is saved in
    /// a checkpoint. A page it shares goes as its content: the copy on the other node is the
    /// VM's own, and here the VM only stops being one of the page's owners when it is released.
    /// </summary>
    public IEnumerable<GuestPageImage> Export(int vmId)
    {
        foreach (var (ppn, mpn) in PmapOf(vmId).Mappings())
        {
            yield return new GuestPageImage(ppn, [.. MachineMemory.Slice(mpn.Address, MachinePage.Size)]);
        }
    }

    /// <summary>A copy of the given pages of the VM (those it has; an incremental checkpoint's pages written since the last one).</summary>
    public IEnumerable<GuestPageImage> Export(int vmId, IEnumerable<Ppn> pages)
    {
        var pmap = PmapOf(vmId);
        foreach (var ppn in pages)
        {
            if (pmap.TryGet(ppn, out var mpn))
            {
                yield return new GuestPageImage(ppn, [.. MachineMemory.Slice(mpn.Address, MachinePage.Size)]);
            }
        }
    }

    /// <summary>
    /// Give the VM a machine page for <paramref name="page"/>'s PPN holding its bytes (a VM
    /// arriving on this node, or restored). False when no machine page is left, or the PPN is
    /// outside the VM or already mapped. The page is the VM's own (the content scan may share it later).
    /// </summary>
    public bool TryImport(int vmId, GuestPageImage page)
    {
        if (page.Bytes.Length != MachinePage.Size || !_pmaps.TryGetValue(vmId, out var pmap) || !pmap.Contains(page.Ppn) || pmap.TryGet(page.Ppn, out _))
        {
            return false;
        }

        var mapping = Allocate(vmId, pmap, page.Ppn);
        if (!mapping.IsMemory)
        {
            return false;
        }

        MachineMemory.Write(mapping.Mpn.Address, page.Bytes.AsSpan());
        return true;
    }

    /// <summary>The VM writes a page it shares (or the monitor must write it): its own copy, unless it is the last owner.</summary>
    private GuestPageMapping Privatize(int vmId, Pmap pmap, Ppn ppn, Mpn mpn)
    {
        if (!_shared.IsShared(mpn))
        {
            return new GuestPageMapping(ppn, GuestPageKind.Memory, mpn);
        }

        var counters = _counters[vmId];
        if (_memmap.OwnerCount(mpn) == 1 && mpn != _zeroPage)
        {
            // Nobody else maps it: it simply stops being shared (and findable), no copy needed.
            // It is reported as a copy all the same: whether a VM writes last depends on how
            // the host interleaved the VMs, and what a VM is charged must not.
            _shared.Remove(mpn);
            counters.SharedPages--;
            counters.CopyOnWriteBreaks++;
            return new GuestPageMapping(ppn, GuestPageKind.Memory, mpn, Copied: true);
        }

        if (!_allocator.TryAllocate(out var copy))
        {
            return new GuestPageMapping(ppn, GuestPageKind.MachineMemoryExhausted, default);
        }

        MachineMemory.Slice(mpn.Address, MachinePage.Size).CopyTo(MachineMemory.Slice(copy.Address, MachinePage.Size));
        pmap.Remap(ppn, copy);
        _memmap.SetOwner(copy, vmId, ppn);
        Drop(vmId, ppn, mpn);
        counters.PagesAllocated++;
        counters.CopyOnWriteBreaks++;
        PeakAllocatedPages = Math.Max(PeakAllocatedPages, _allocator.Allocated);
        return new GuestPageMapping(ppn, GuestPageKind.Memory, copy, Copied: true);
    }

    /// <summary>A paravirtual guest's zero request: the shared zero page under sharing, else the page's own machine page zeroed.</summary>
    private GuestPageMapping Zero(int vmId, Pmap pmap, Ppn ppn)
    {
        _counters[vmId].ZeroRequests++;
        bool mapped = pmap.TryGet(ppn, out var mpn);
        if (!Sharing.Enabled || (mapped && IsPinned(vmId, ppn.Value)))
        {
            // A pinned page (a special page the monitor writes) stays the VM's own: zeroed in place.
            if (!mapped)
            {
                return Allocate(vmId, pmap, ppn);
            }

            MachineMemory.Clear(mpn.Address, MachinePage.Size);
            return new GuestPageMapping(ppn, GuestPageKind.Memory, mpn, Fresh: true);
        }

        if (mapped && mpn == _zeroPage)
        {
            return new GuestPageMapping(ppn, GuestPageKind.Memory, mpn, Shared: true);
        }

        if (ZeroPage() is not { } zero)
        {
            return new GuestPageMapping(ppn, GuestPageKind.MachineMemoryExhausted, default);
        }

        if (mapped)
        {
            MoveToShared(vmId, pmap, ppn, mpn, zero);
        }
        else
        {
            pmap.Map(ppn, zero);
            _memmap.AddOwner(zero, vmId, ppn);
            GuestPageMapped(vmId, pmap);
            SharedMapped(vmId);
        }

        return new GuestPageMapping(ppn, GuestPageKind.Memory, zero, Shared: true);
    }

    /// <summary>A paravirtual guest freed the page: its machine page goes back (or loses an owner).</summary>
    private GuestPageMapping Release(int vmId, Pmap pmap, Ppn ppn)
    {
        _counters[vmId].Released++;
        if (IsPinned(vmId, ppn.Value) && pmap.TryGet(ppn, out var pinned))
        {
            // The monitor writes a pinned page (the special page) directly: it must stay this
            // VM's, or the monitor would write into a page another VM got next.
            return new GuestPageMapping(ppn, GuestPageKind.Memory, pinned);
        }

        if (pmap.TryGet(ppn, out var mpn))
        {
            pmap.Unmap(ppn);
            _guestPages--;
            Drop(vmId, ppn, mpn);
        }

        return new GuestPageMapping(ppn, GuestPageKind.Unbacked, default);
    }

    /// <summary>The shared zero page, made on first need (null when machine memory is exhausted).</summary>
    private Mpn? ZeroPage()
    {
        if (_zeroPage is { } zero)
        {
            return zero;
        }

        if (!_allocator.TryAllocate(out zero))
        {
            return null;
        }

        MachineMemory.Clear(zero.Address, MachinePage.Size);
        _shared.Add(zero, SharedPages.Hash(MachineMemory.Slice(zero.Address, MachinePage.Size)));
        PeakAllocatedPages = Math.Max(PeakAllocatedPages, _allocator.Allocated);
        _zeroPage = zero;
        return zero;
    }

    /// <summary>A private page (owned by <paramref name="vmId"/> alone) becomes shared and findable by its content.</summary>
    private void Share(int vmId, Mpn mpn, ulong hash)
    {
        _shared.Add(mpn, hash);
        SharedMapped(vmId);
    }

    /// <summary>(VM, PPN) moves from <paramref name="from"/> to the shared page <paramref name="to"/>.</summary>
    private void MoveToShared(int vmId, Pmap pmap, Ppn ppn, Mpn from, Mpn to)
    {
        pmap.Remap(ppn, to);
        _memmap.AddOwner(to, vmId, ppn);
        Drop(vmId, ppn, from);
        SharedMapped(vmId);
    }

    /// <summary>(VM, PPN) no longer maps the page: it is freed with its last owner.</summary>
    private void Drop(int vmId, Ppn ppn, Mpn mpn)
    {
        bool shared = _shared.IsShared(mpn);
        if (shared && _counters.TryGetValue(vmId, out var counters))
        {
            counters.SharedPages--;
        }

        if (_memmap.RemoveOwner(mpn, vmId, ppn) > 0)
        {
            return;
        }

        _shared.Remove(mpn);
        _memmap.Clear(mpn);
        _allocator.Release(mpn);
        if (mpn == _zeroPage)
        {
            _zeroPage = null;
        }
    }

    private void GuestPageMapped(int vmId, Pmap pmap)
    {
        _guestPages++;
        var counters = _counters[vmId];
        counters.PeakGuestPages = Math.Max(counters.PeakGuestPages, pmap.MappedPages);
    }

    private void SharedMapped(int vmId)
    {
        var counters = _counters[vmId];
        counters.SharedPages++;
        counters.PeakSharedPages = Math.Max(counters.PeakSharedPages, counters.SharedPages);
    }

    private HashSet<uint> PinnedOf(int vmId)
    {
        if (!_pinned.TryGetValue(vmId, out var set))
        {
            _pinned[vmId] = set = new HashSet<uint>();
        }

        return set;
    }

    private bool IsPinned(int vmId, uint ppn) => _pinned.TryGetValue(vmId, out var set) && set.Contains(ppn);
}
