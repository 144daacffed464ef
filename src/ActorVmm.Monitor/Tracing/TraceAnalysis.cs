using System.Globalization;
using System.Text;
using ActorVmm.Cpu;

namespace ActorVmm.Monitor.Tracing;

/// <summary>Counts, latencies and flows out of a trace.</summary>
public static class TraceAnalysis
{
    /// <summary>Messages per kind per VM, and trap round-trip latencies, in one pass over the file.</summary>
    public static string Summary(TraceReader trace) => Summary(TraceStatistics.Of(TraceSet.Of([trace])));

    public static string Summary(TraceSet trace) => Summary(TraceStatistics.Of(trace));

    public static string Summary(TraceStatistics stats)
    {
        var trace = stats.Trace;
        var sb = new StringBuilder();
        var first = trace.Files[0].Metadata;
        string nodes = trace.Files.Count == 1 ? $"node {trace.Nodes[0]}" : $"{trace.Files.Count} nodes ({string.Join(", ", trace.Nodes)})";
        sb.AppendLine($"trace of {first.Scenario}: {stats.Records:N0} records, {first.PhysicalCpus} physical CPUs, {nodes}");
        foreach (var ((node, vm), perKind) in stats.Kinds)
        {
            string where = trace.Files.Count == 1 ? "" : $"{trace.Nodes[node]}: ";
            sb.AppendLine(vm == 0 ? $"{where}monitor (no VM):" : $"{where}{trace.NameOf(node, vm)} (vm{vm}):");
            foreach (var (kind, count) in perKind)
            {
                sb.AppendLine($"  {kind,-22} {count,12:N0}");
            }

            if (stats.TrapNames.TryGetValue((node, vm), out var names))
            {
                sb.AppendLine("  traps by kind:");
                foreach (var (name, count) in names.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.AppendLine($"    {name,-30} {count,10:N0}");
                }
            }
        }

        if (stats.Latencies.Count > 0)
        {
            int stampEvery = first.StampEvery;
            sb.AppendLine("trap round trip (Trap to the router's decision, wall clock), over the round trips timed exactly at both ends:");
            sb.AppendLine($"  {"trap",-30} {"count",10} {"timed",10} {"p50 µs",9} {"p99 µs",9}");
            foreach (var l in stats.Latencies.Values.OrderByDescending(l => l.RoundTrips).ThenBy(l => l.Trap, StringComparer.Ordinal))
            {
                string p50 = l.Timed.Count == 0 ? "-" : (l.Percentile(0.5) / 1e3).ToString("F2", CultureInfo.InvariantCulture);
                string p99 = l.Timed.Count == 0 ? "-" : (l.Percentile(0.99) / 1e3).ToString("F2", CultureInfo.InvariantCulture);
                sb.AppendLine($"  {l.Trap,-30} {l.RoundTrips,10:N0} {l.Timed.Count,10:N0} {p50,9} {p99,9}");
            }

            sb.AppendLine(stampEvery == 1
                ? "  (trace.stamp-every = 1: every record read the clock; each latency is exact to the clock's resolution)"
                : $"  (trace.stamp-every = {stampEvery}: on each thread, the trap after every {stampEvery} trap-path records, and every trap after a long stretch of guest code, is timed exactly with its decision; {stats.ExactRecords * 100.0 / Math.Max(1, stats.Records):F0} % of all records read the clock, the others' times are interpolated and not used for latencies)");
        }

        return sb.ToString();
    }

    /// <summary>
    /// The records of one flow of one VM: from its <paramref name="ordinal"/>-th user system call
    /// (or guest TLB miss) to the return that resumes the user instruction.
    /// </summary>
    public static IReadOnlyList<TraceRecord> Flow(TraceReader trace, int vm, FlowKind kind, int ordinal)
    {
        var records = trace.RecordsOf(vm);
        int seen = 0;
        for (int i = 0; i < records.Count; i++)
        {
            if (records[i].Kind != TraceKind.Trap || !Starts(records[i], kind) || ++seen != ordinal)
            {
                continue;
            }

            var flow = new List<TraceRecord>();
            bool returned = false;
            for (int j = i; j < records.Count; j++)
            {
                var r = records[j];
                if (r.Kind is TraceKind.Dispatch or TraceKind.Yield or TraceKind.MachineSwitch or TraceKind.EpochStart)
                {
                    continue;
                }

                flow.Add(r);
                if (TraceEvents.Is<ReturnFromTrapEvent>(r, out var ret) && ret.Mode == PrivilegeMode.User)
                {
                    returned = true;
                }
                else if (returned && r.Kind == TraceKind.Resumed)
                {
                    return flow;
                }
                else if (returned && r.Kind == TraceKind.Trap)
                {
                    flow.RemoveAt(flow.Count - 1);
                    return flow;
                }
            }

            return flow;
        }

        return [];
    }

    public static int CountFlows(TraceReader trace, int vm, FlowKind kind) =>
        trace.RecordsOf(vm).Count(r => r.Kind == TraceKind.Trap && Starts(r, kind));

    public static string Format(TraceReader trace, IReadOnlyList<TraceRecord> flow)
    {
        var sb = new StringBuilder();
        long start = flow.Count > 0 ? flow[0].Nanoseconds : 0;
        foreach (var r in flow)
        {
            // "~": the time was interpolated between exact readings around it (TraceTiming).
            string at = ((r.Nanoseconds - start) / 1e3).ToString("F2", CultureInfo.InvariantCulture) + (r.Interpolated ? "~" : " ");
            string cycle = r.Cycle == TraceRecord.NoCycle ? "-" : r.Cycle.ToString("N0", CultureInfo.InvariantCulture);
            sb.AppendLine($"{r.Sequence,10} {at,11}µs {cycle,15}  {trace.Metadata.NameOf(r.Vm)}/vcpu{r.Vcpu}/pcpu{r.Pcpu}  pc=0x{r.GuestPc:X8}  {TraceEvents.Describe(r)}");
        }

        return sb.ToString();
    }

    /// <summary>Whether a trap starts a flow of <paramref name="kind"/>: a user process's system call, or its TLB miss the L2 TLB could not serve.</summary>
    public static bool Starts(in TraceRecord r, FlowKind kind)
    {
        var trap = TrapEvent.Decode(r);
        return kind switch
        {
            FlowKind.Syscall => trap.TrapKind == TrapKind.Exception && trap.Code == ExcCode.Sys,
            _ => trap.TrapKind == TrapKind.GuestTlb && trap.IsTlbRefill && r.GuestPc < 0x80000000,
        };
    }
}

public enum FlowKind
{
    Syscall,
    TlbMiss,
}
