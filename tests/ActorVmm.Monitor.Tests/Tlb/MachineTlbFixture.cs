using ActorVmm.Cpu;
using ActorVmm.Memory;

namespace ActorVmm.Monitor.Tests;

/// <summary>A host-delivery core over a small machine memory, with the monitor's TLB structures on top of it.</summary>
internal sealed class MachineTlbFixture : IDisposable
{
    public const uint VmPages = 256; // a 1 MB VM

    private readonly MemoryBlock _memory = new(4u << 20);

    /// <param name="history">Disco's L2 TLB (evicted entries kept), or null for the exact one.</param>
    public MachineTlbFixture(L2TlbHistory? history = null)
    {
        Core = new Mips32Core(_memory, DeliveryMode.Host, AddressingMode.Mips32, devices: null, 64);
        Guest = new VirtualTlb(64);
        Shadow = new MachineTlbShadow(Core);
        Pages = new GuestPageCache(VmPages);
        L2 = new L2Tlb(Guest, Pages, Shadow, Dirty, history);
    }

    public Mips32Core Core { get; }

    public VirtualTlb Guest { get; }

    public MachineTlbShadow Shadow { get; }

    public GuestPageCache Pages { get; }

    public L2Tlb L2 { get; }

    public DirtyPageTracker Dirty { get; } = new(VmPages);

    /// <summary>The machine TLB's entry for <paramref name="va"/> under <paramref name="asid"/>, if any.</summary>
    public TlbEntry? MachineEntryFor(uint va, uint asid)
    {
        int i = Core.Tlb.Lookup(va, asid);
        return i < 0 ? null : Core.Tlb[i];
    }

    public void Dispose() => _memory.Dispose();
}
