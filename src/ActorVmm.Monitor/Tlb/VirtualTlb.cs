using System.Collections.Immutable;
using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// The guest's TLB as the guest wrote it (VPN→PPN), never loaded into the hardware: the
/// monitor consults it on machine-TLB misses, emulates TLBP/TLBR on it and intercepts every
/// write to it.
/// </summary>
public sealed class VirtualTlb
{
    public VirtualTlb(int size) => Entries = new Tlb(size);

    /// <summary>The entries, as the CPU's own TLB type holds them (lookup, probe and read rules are shared).</summary>
    public Tlb Entries { get; }

    public int Size => Entries.Size;

    public TlbEntry this[int index] => Entries[index];

    /// <summary>Index of the entry the guest's TLB would translate <paramref name="va"/> with, or -1.</summary>
    public int Lookup(uint va, uint asid) => Entries.Lookup(va, asid);

    /// <summary>Write a slot as the guest's TLBWI/TLBWR did; returns the entry it replaced.</summary>
    public TlbEntry Write(int index, in TlbEntry entry)
    {
        var old = Entries[index];
        Entries.Set(index, entry);
        return old;
    }

    /// <summary>A copy for a trap request (TLBP and TLBR are decided on it).</summary>
    public ImmutableArray<TlbEntry> Snapshot() => ImmutableArray.Create(Entries.Entries);
}
