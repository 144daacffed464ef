namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// Counts per kind per VM, and trap round trips (a vCPU's trap to the router's decision) by
/// trap name, from one pass over a trace. Latencies come only from round trips whose both
/// records read the clock (<see cref="TraceTiming"/>): interpolated times place records on a
/// timeline but would smear a latency over its neighbours'.
/// </summary>
public sealed class TraceStatistics
{
    private TraceStatistics(TraceSet trace)
    {
        Trace = trace;
    }

    public TraceSet Trace { get; }

    public long Records { get; private set; }

    /// <summary>Records whose wall-clock time was read from the clock, not interpolated.</summary>
    public long ExactRecords { get; private set; }

    /// <summary>Per (node, VM): records per kind.</summary>
    public SortedDictionary<(int Node, int Vm), SortedDictionary<string, long>> Kinds { get; } = new();

    /// <summary>Per (node, VM): traps per name.</summary>
    public SortedDictionary<(int Node, int Vm), SortedDictionary<string, long>> TrapNames { get; } = new();

    /// <summary>Per trap name: every round trip, and the exactly timed ones' latencies in nanoseconds, sorted.</summary>
    public SortedDictionary<string, TrapLatencies> Latencies { get; } = new(StringComparer.Ordinal);

    public static TraceStatistics Of(TraceSet trace)
    {
        var stats = new TraceStatistics(trace);
        stats.Collect();
        return stats;
    }

    private void Collect()
    {
        // A vCPU's traps and the router's decisions alternate; pairing the k-th trap with the
        // k-th decision of the same vCPU, in sequence order, gives each round trip.
        var traps = new Dictionary<(int, int, int), List<(long Seq, long Ns, bool Exact, string Name)>>();
        var decisions = new Dictionary<(int, int, int), List<(long Seq, long Ns, bool Exact)>>();
        for (int node = 0; node < Trace.Files.Count; node++)
        {
            foreach (var r in Trace.Files[node].Stream())
            {
                Records++;
                if (!r.Interpolated)
                {
                    ExactRecords++;
                }

                Count(Kinds, (node, r.Vm), r.Kind.ToString());
                var key = (node, (int)r.Vm, (int)r.Vcpu);
                if (TraceEvents.Is<TrapEvent>(r, out var trap))
                {
                    string name = trap.Name;
                    Count(TrapNames, (node, r.Vm), name);
                    (traps.TryGetValue(key, out var list) ? list : traps[key] = new()).Add((r.Sequence, r.Nanoseconds, !r.Interpolated, name));
                }
                else if (TraceEvents.IsDecision(r.Kind))
                {
                    (decisions.TryGetValue(key, out var list) ? list : decisions[key] = new()).Add((r.Sequence, r.Nanoseconds, !r.Interpolated));
                }
            }
        }

        var timed = new Dictionary<string, List<long>>();
        var all = new Dictionary<string, long>();
        foreach (var (key, trapList) in traps)
        {
            trapList.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            var decided = decisions.GetValueOrDefault(key) ?? new();
            decided.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            for (int i = 0; i < Math.Min(trapList.Count, decided.Count); i++)
            {
                var t = trapList[i];
                all[t.Name] = all.GetValueOrDefault(t.Name) + 1;
                var list = timed.TryGetValue(t.Name, out var l) ? l : timed[t.Name] = new List<long>();
                if (t.Exact && decided[i].Exact)
                {
                    list.Add(decided[i].Ns - t.Ns);
                }
            }
        }

        foreach (var (name, count) in all)
        {
            var values = timed[name];
            values.Sort();
            Latencies[name] = new TrapLatencies(name, count, values);
        }
    }

    private static void Count(SortedDictionary<(int, int), SortedDictionary<string, long>> table, (int, int) key, string name)
    {
        var perKey = table.TryGetValue(key, out var c) ? c : table[key] = new SortedDictionary<string, long>(StringComparer.Ordinal);
        perKey[name] = perKey.GetValueOrDefault(name) + 1;
    }
}

/// <param name="RoundTrips">Every round trip of this trap name.</param>
/// <param name="Timed">The latencies (ns) of the round trips timed exactly at both ends, sorted.</param>
public sealed record TrapLatencies(string Trap, long RoundTrips, IReadOnlyList<long> Timed)
{
    public long Percentile(double p) => Timed.Count == 0 ? 0 : Timed[Math.Min(Timed.Count - 1, (int)(Timed.Count * p))];

    /// <summary>Timed round trips per power-of-two bucket: <c>counts[k]</c> for latencies in [2^k, 2^(k+1)) ns (k = 0 includes 0).</summary>
    public long[] Log2Histogram()
    {
        var counts = new long[64];
        foreach (long ns in Timed)
        {
            counts[ns <= 1 ? 0 : 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)ns)]++;
        }

        return counts;
    }
}
