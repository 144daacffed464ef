namespace ActorVmm.Monitor.Tracing;

/// <summary>A machine-TLB miss served from the L2 TLB without entering the guest.</summary>
public readonly record struct L2TlbRefillEvent(uint VirtualAddress, uint Mpn) : ITraceEvent<L2TlbRefillEvent>
{
    public static TraceKind Kind => TraceKind.L2TlbRefill;

    public static TraceTiming Timing => TraceTiming.Sampled;

    public void Encode(ref TraceRecord r)
    {
        r.D0 = VirtualAddress;
        r.D1 = Mpn;
    }

    public static L2TlbRefillEvent Decode(in TraceRecord r) => new(r.D0, r.D1);

    public string Describe() => $"L2TlbRefill VA 0x{VirtualAddress:X8} -> MPN 0x{Mpn:X}";
}
