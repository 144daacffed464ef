using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Analysis;

/// <summary>The trace as blocks of table rows (<see cref="TraceColumns"/>), in the merged global order.</summary>
public static class TraceTable
{
    public const int BlockRows = 1 << 18;

    /// <summary>The rows, a block at a time; the same block object is reused, so use each before asking for the next.</summary>
    public static IEnumerable<TraceRows> Blocks(TraceSet trace, TraceFilter? filter = null, int blockRows = BlockRows)
    {
        long origin = trace.StartNanoseconds;
        var rows = new TraceRows(TraceColumns.All, blockRows);
        foreach (var nr in trace.Merged((filter ?? TraceFilter.All).Predicate(origin)))
        {
            if (rows.Count == rows.Capacity)
            {
                yield return rows;
                rows.Clear();
            }

            TraceColumns.Fill(rows, rows.Count++, trace, nr, origin);
        }

        if (rows.Count > 0)
        {
            yield return rows;
        }
    }
}
