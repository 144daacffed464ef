namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// What a reader found when it checked a trace file block by block: how many records it
/// recovered, what the end block declared, and each problem in words (a cut, a damaged
/// block and the records it lost).
/// </summary>
/// <param name="End">The end block, or null when the file has none (cut short).</param>
/// <param name="RecordsLost">Records of damaged or cut blocks whose headers were still readable.</param>
public sealed record TraceIntegrity(long RecordsRecovered, long RecordsLost, TraceEnd? End, IReadOnlyList<string> Problems)
{
    /// <summary>Every block checked out and the file ends with its end block.</summary>
    public bool Intact => End is not null && Problems.Count == 0;

    /// <summary>The run was stopped by a signal, and the recorder closed the file cleanly.</summary>
    public bool Interrupted => End?.Interruption is not null;

    /// <summary>What the reader recovered, in one line per finding; empty for an intact trace of a finished run.</summary>
    public IEnumerable<string> Findings()
    {
        foreach (var problem in Problems)
        {
            yield return problem;
        }

        if (End is { Interruption: { } why })
        {
            yield return $"the run was interrupted ({why}); the trace was closed cleanly and holds its {End.Records:N0} records up to there";
        }
    }
}
