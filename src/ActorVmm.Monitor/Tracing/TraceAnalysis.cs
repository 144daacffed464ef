using System.Text;
using ActorVmm.Cpu;

namespace ActorVmm.Monitor.Tracing;

/// <summary>Counts, latencies and flows out of a trace.</summary>
public static class TraceAnalysis
{
    /// <summary>Messages per kind per VM, and trap round-trip latencies, in one pass over the file.</summary>
    public static string Summary(TraceReader trace)
    {
        var counts = new SortedDictionary<int, SortedDictionary<string, long>>();
        var trapNames = new SortedDictionary<int, SortedDictionary<string, long>>();
        // A vCPU's traps and the router's decisions alternate; pairing the k-th trap with the
        // k-th decision of the same vCPU, in sequence order, gives each round trip.
        var traps = new Dictionary<(int, int), List<(long Seq, long Wall, string Name)>>();
        var decisions = new Dictionary<(int, int), List<(long Seq, long Wall)>>();
        long records = 0;
        foreach (var r in trace.Stream())
        {
            records++;
            var perVm = counts.TryGetValue(r.Vm, out var c) ? c : counts[r.Vm] = new SortedDictionary<string, long>();
            string kind = r.Kind.ToString();
            perVm[kind] = perVm.GetValueOrDefault(kind) + 1;
            var key = ((int)r.Vm, (int)r.Vcpu);
            if (TraceEvents.Is<TrapEvent>(r, out var trap))
            {
                string name = trap.Name;
                var t = trapNames.TryGetValue(r.Vm, out var tn) ? tn : trapNames[r.Vm] = new SortedDictionary<string, long>();
                t[name] = t.GetValueOrDefault(name) + 1;
                (traps.TryGetValue(key, out var list) ? list : traps[key] = new()).Add((r.Sequence, r.WallNanoseconds, name));
            }
            else if (r.Kind is TraceKind.Emulate or TraceKind.Reflect or TraceKind.ReturnFromTrap or TraceKind.Idle or TraceKind.DeviceEmulated)
            {
                (decisions.TryGetValue(key, out var list) ? list : decisions[key] = new()).Add((r.Sequence, r.WallNanoseconds));
            }
        }

        var latencies = new Dictionary<string, List<long>>();
        foreach (var (key, trapList) in traps)
        {
            trapList.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            var decided = decisions.GetValueOrDefault(key) ?? new();
            decided.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            for (int i = 0; i < Math.Min(trapList.Count, decided.Count); i++)
            {
                var name = trapList[i].Name;
                (latencies.TryGetValue(name, out var l) ? l : latencies[name] = new List<long>()).Add(decided[i].Wall - trapList[i].Wall);
            }
        }

        var sb = new StringBuilder();
        sb.AppendLine($"trace of {trace.Metadata.Scenario}: {records:N0} records, {trace.Metadata.PhysicalCpus} physical CPUs");
        foreach (var (vm, perKind) in counts)
        {
            sb.AppendLine(vm == 0 ? "monitor (no VM):" : $"{trace.Metadata.NameOf(vm)} (vm{vm}):");
            foreach (var (kind, count) in perKind)
            {
                sb.AppendLine($"  {kind,-22} {count,12:N0}");
            }

            if (trapNames.TryGetValue(vm, out var names))
            {
                sb.AppendLine("  traps by kind:");
                foreach (var (name, count) in names.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.AppendLine($"    {name,-30} {count,10:N0}");
                }
            }
        }

        if (latencies.Count > 0)
        {
            sb.AppendLine("trap round trip (Trap to the router's decision, wall clock):");
            sb.AppendLine($"  {"trap",-30} {"count",10} {"p50 µs",9} {"p99 µs",9}");
            foreach (var (name, values) in latencies.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                values.Sort();
                sb.AppendLine($"  {name,-30} {values.Count,10:N0} {values[values.Count / 2] / 1e3,9:F1} {values[(int)(values.Count * 0.99)] / 1e3,9:F1}");
            }
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
        long start = flow.Count > 0 ? flow[0].WallNanoseconds : 0;
        foreach (var r in flow)
        {
            sb.AppendLine($"{r.Sequence,10} {(r.WallNanoseconds - start) / 1e3,10:F1}µs  {trace.Metadata.NameOf(r.Vm)}/vcpu{r.Vcpu}/pcpu{r.Pcpu}  pc=0x{r.GuestPc:X8}  {TraceEvents.Describe(r)}");
        }

        return sb.ToString();
    }

    private static bool Starts(in TraceRecord r, FlowKind kind)
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
