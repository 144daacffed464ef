using ActorVmm.Cpu;

namespace ActorVmm.Monitor.Tracing;

/// <summary>The router intercepted a guest TLB write: slot, EntryHi, and the guest-physical pages of its halves.</summary>
public readonly record struct TlbWriteInterceptedEvent(int Index, uint EntryHi, uint EvenPpn, uint OddPpn) : ITraceEvent<TlbWriteInterceptedEvent>
{
    public static TraceKind Kind => TraceKind.TlbWriteIntercepted;

    public static TraceTiming Timing => TraceTiming.Sampled;

    public static TlbWriteInterceptedEvent Of(int index, in TlbEntry entry) =>
        new(index, entry.EntryHi, PpnOf(entry.Half(odd: false)), PpnOf(entry.Half(odd: true)));

    private static uint PpnOf(in TlbHalf half) => half.Valid ? half.FirstPpn.Value : TraceRecord.NoPage;

    public uint Vpn2 => EntryHi & EntryHiBits.Vpn2Mask;

    public uint Asid => EntryHi & EntryHiBits.AsidMask;

    public void Encode(ref TraceRecord r)
    {
        r.Aux = (ushort)Index;
        r.D0 = EntryHi;
        r.D1 = EvenPpn;
        r.D2 = OddPpn;
    }

    public static TlbWriteInterceptedEvent Decode(in TraceRecord r) => new(r.Aux, r.D0, r.D1, r.D2);

    /// <summary>The guest-physical page of the half that maps <paramref name="va"/>.</summary>
    public uint PpnFor(uint va) => (va & 0x1000) != 0 ? OddPpn : EvenPpn;

    public string Describe() => $"TlbWrite[{Index}] VPN2=0x{Vpn2:X8} ASID={Asid}: PPN {TraceEvents.Page(EvenPpn)} / {TraceEvents.Page(OddPpn)}";
}
