namespace ActorVmm.Memory;

/// <summary>What the memory manager made of a guest-physical page.</summary>
public enum GuestPageKind : byte
{
    /// <summary>Backed by the machine page in <see cref="GuestPageMapping.Mpn"/>.</summary>
    Memory,

    /// <summary>The VM's device page: never mapped, its accesses are emulated.</summary>
    Device,

    /// <summary>Outside the VM's memory: refused, so the guest can never reach another VM's page.</summary>
    OutsideVm,

    /// <summary>Inside the VM's memory, but machine memory is exhausted.</summary>
    MachineMemoryExhausted,

    /// <summary>Inside the VM's memory, with no machine page now (the guest freed it): the next use asks again.</summary>
    Unbacked,
}

/// <param name="Fresh">This request allocated (and zeroed) the machine page.</param>
/// <param name="Shared">The machine page is shared copy-on-write: map it read-only, and ask for a copy on the first write.</param>
/// <param name="Copied">This request gave the VM its own copy of a page it shared.</param>
public readonly record struct GuestPageMapping(Ppn Ppn, GuestPageKind Kind, Mpn Mpn, bool Fresh = false, bool Shared = false, bool Copied = false)
{
    public bool IsMemory => Kind == GuestPageKind.Memory;
}
