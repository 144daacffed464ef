namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// One kind of trace record as a typed value: its own encoder into a record's detail fields
/// and decoder back, so that no call site writes or reads a detail by position. A new kind
/// is one small struct implementing this, plus a line in <see cref="TraceEvents"/>; its public
/// properties become its columns in Parquet and SQL, by name.
/// </summary>
public interface ITraceEvent<TSelf>
    where TSelf : struct, ITraceEvent<TSelf>
{
    static abstract TraceKind Kind { get; }

    /// <summary>How the record's wall-clock time is taken (<see cref="TraceTiming"/>): read from the clock unless the kind is on the trap path.</summary>
    static virtual TraceTiming Timing => TraceTiming.Exact;

    /// <summary>Fill the record's <see cref="TraceRecord.Aux"/> and detail words.</summary>
    void Encode(ref TraceRecord record);

    static abstract TSelf Decode(in TraceRecord record);

    /// <summary>The record in words, for <c>trace flow</c>.</summary>
    string Describe();
}
