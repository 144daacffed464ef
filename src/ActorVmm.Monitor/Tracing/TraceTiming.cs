namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// How a kind's wall-clock time is taken. Reading the clock costs 20 ns, as much as the rest
/// of a record; the trap path writes millions of records a second, so its kinds are timed
/// exactly only in samples: every <c>trace.stamp-every</c>-th of them on a thread opens a sample
/// at the next trap, which stays exact until the router's decision, so each sampled round trip
/// is measured exactly at both ends. The records in between samples get times interpolated
/// between the exact ones around them on the same thread.
/// </summary>
public enum TraceTiming : byte
{
    /// <summary>
    /// Always read from the clock: rare kinds, and those that start or end a wait (dispatch,
    /// yield, a memory-manager round trip). The next trap-path record on the same thread opens
    /// a sample, so no interpolation spans a thread's idle time.
    /// </summary>
    Exact,

    /// <summary>On the trap path: exact inside a sample, interpolated outside.</summary>
    Sampled,

    /// <summary>A trap: opens a sample when one is due.</summary>
    SampleStart,

    /// <summary>The router's decision: closes the sample its trap opened.</summary>
    SampleEnd,
}
