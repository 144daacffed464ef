namespace ActorVmm.Memory;

/// <summary>
/// Disco's memmap: for each machine page, who uses it (VM and guest-physical page). One
/// owner per page today; the map is what page sharing or migration would consult.
/// </summary>
public sealed class Memmap
{
    private readonly (int VmId, uint Ppn)[] _owners;

    public Memmap(uint pageCount)
    {
        _owners = new (int, uint)[pageCount];
        Array.Fill(_owners, (-1, 0u));
    }

    public void SetOwner(Mpn mpn, int vmId, Ppn ppn) => _owners[mpn.Value] = (vmId, ppn.Value);

    public void Clear(Mpn mpn) => _owners[mpn.Value] = (-1, 0);

    public bool TryGetOwner(Mpn mpn, out int vmId, out Ppn ppn)
    {
        var (vm, page) = _owners[mpn.Value];
        vmId = vm;
        ppn = new Ppn(page);
        return vm >= 0;
    }
}
