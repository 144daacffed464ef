namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// A miss the guest's own TLB would have taken, refilled by the monitor from the L2 TLB's
/// history (l2-tlb = disco): the guest's TLB got the entry at <see cref="Slot"/>, as its TLBWR would have.
/// </summary>
public readonly record struct L2GuestRefillEvent(uint VirtualAddress, uint Mpn, uint Slot) : ITraceEvent<L2GuestRefillEvent>
{
    public static TraceKind Kind => TraceKind.L2GuestRefill;

    public void Encode(ref TraceRecord r)
    {
        r.D0 = VirtualAddress;
        r.D1 = Mpn;
        r.D2 = Slot;
    }

    public static L2GuestRefillEvent Decode(in TraceRecord r) => new(r.D0, r.D1, r.D2);

    public string Describe() => $"L2GuestRefill VA 0x{VirtualAddress:X8} -> MPN 0x{Mpn:X}, guest TLB[{Slot}] (its refill handler did not run)";
}
