using ActorVmm.Memory;

namespace ActorVmm.Cpu.Board;

/// <summary>
/// Everything the boot contract does to a fresh machine, as data: the bare board applies it
/// to its RAM and CPU; the monitor applies the same plan to a VM's pmap and virtual CP0, so
/// both start the kernel in exactly the same state.
/// </summary>
public sealed record BootPlan(
    uint Entry,
    uint MemorySize,
    uint BootInfoVirtualAddress,
    uint FreeStart,
    IReadOnlyList<PhysicalWrite> Writes,
    IReadOnlyList<PhysicalRange> Zeroes,
    IReadOnlyList<TlbEntry> WiredEntries)
{
    /// <summary>GPR values at the entry point (a0 = memory size, a1 = boot info); the rest are zero.</summary>
    public uint A0 => MemorySize;

    public uint A1 => BootInfoVirtualAddress;

    public void ApplyTo(MemoryBlock ram)
    {
        foreach (var zero in Zeroes)
        {
            ram.Clear(zero.Address, zero.Length);
        }

        foreach (var write in Writes)
        {
            ram.Write(write.Address, write.Bytes.Span);
        }
    }

    /// <summary>
    /// The boot contract's start state: GPRs and PC on <paramref name="cpu"/>, the wired
    /// entries in <paramref name="tlb"/> and Wired in <paramref name="cp0"/>. The bare board
    /// passes the core's own TLB and CP0; the monitor passes the guest's virtual TLB and
    /// virtual CP0, so both start the kernel in the same state.
    /// </summary>
    public void ApplyTo(Mips32Core cpu, Tlb tlb, ref Cp0State cp0)
    {
        cpu.Gpr.Clear();
        cpu.SetGpr(4, A0);
        cpu.SetGpr(5, A1);
        for (int i = 0; i < WiredEntries.Count; i++)
        {
            tlb.Set(i, WiredEntries[i]);
        }

        cp0.Write(Cp0Register.Wired, (uint)WiredEntries.Count);
        cpu.Jump(Entry);
    }
}
