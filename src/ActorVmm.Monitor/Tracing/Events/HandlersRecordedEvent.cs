namespace ActorVmm.Monitor.Tracing;

/// <summary>The router learnt the guest's exception vectors when the guest wrote EBase.</summary>
public readonly record struct HandlersRecordedEvent(uint EBase, uint RefillVector, uint GeneralVector) : ITraceEvent<HandlersRecordedEvent>
{
    public static TraceKind Kind => TraceKind.HandlersRecorded;

    public static HandlersRecordedEvent Of(uint ebase)
    {
        uint vectorBase = ebase & 0xFFFFF000;
        return new(ebase, vectorBase, vectorBase + 0x180);
    }

    public void Encode(ref TraceRecord r)
    {
        r.D0 = EBase;
        r.D1 = RefillVector;
        r.D2 = GeneralVector;
    }

    public static HandlersRecordedEvent Decode(in TraceRecord r) => new(r.D0, r.D1, r.D2);

    public string Describe() => $"HandlersRecorded EBase=0x{EBase:X8}: refill 0x{RefillVector:X8}, general 0x{GeneralVector:X8}";
}
