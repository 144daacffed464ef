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
}

/// <param name="Fresh">This request allocated the machine page.</param>
public readonly record struct GuestPageMapping(Ppn Ppn, GuestPageKind Kind, Mpn Mpn, bool Fresh = false)
{
    public bool IsMemory => Kind == GuestPageKind.Memory;
}
