using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Analysis;

/// <summary>The seed's flows (<see cref="TraceFlows"/>) as a table: one row per flow, with its latency in wall time and in simulated cycles.</summary>
public static class FlowTable
{
    public static IReadOnlyList<TraceColumn> Columns { get; } =
    [
        new("node", TraceColumnType.Text, "the node"),
        new("vm", TraceColumnType.Integer, "VM id"),
        new("vm_name", TraceColumnType.Text, "the VM's name"),
        new("vcpu", TraceColumnType.Integer, "the vCPU"),
        new("flow", TraceColumnType.Text, "'syscall' (a user process's system call) or 'tlb miss' (its TLB miss the L2 TLB could not serve)"),
        new("ordinal", TraceColumnType.Integer, "the flow's number among the VM's flows of its kind (trace flow --syscall K / --tlb-miss K)"),
        new("first_sequence", TraceColumnType.Integer, "the sequence of the trap that starts the flow"),
        new("last_sequence", TraceColumnType.Integer, "the sequence of its last record (Resumed, or the return to user mode)"),
        new("start_ns", TraceColumnType.Integer, "wall-clock ns of the first record since the run's start"),
        new("end_ns", TraceColumnType.Integer, "wall-clock ns of the last record"),
        new("latency_ns", TraceColumnType.Integer, "end_ns - start_ns"),
        new("exact_latency", TraceColumnType.Boolean, "both ends' times were read from the clock"),
        new("start_cycle", TraceColumnType.Integer, "simulated cycle of the first record"),
        new("end_cycle", TraceColumnType.Integer, "simulated cycle of the last record"),
        new("cycles", TraceColumnType.Integer, "end_cycle - start_cycle: the flow's simulated duration, guest handler and monitor"),
        new("records", TraceColumnType.Integer, "records in the flow"),
        new("traps", TraceColumnType.Integer, "traps in the flow (the first included)"),
    ];

    public static IEnumerable<TraceRows> Blocks(TraceSet trace, TraceFilter? filter = null, int blockRows = 1 << 16)
    {
        long origin = trace.StartNanoseconds;
        var rows = new TraceRows(Columns, blockRows);
        foreach (var f in TraceFlows.Of(trace, (filter ?? TraceFilter.All).Predicate(origin)))
        {
            if (rows.Count == rows.Capacity)
            {
                yield return rows;
                rows.Clear();
            }

            int i = rows.Count++;
            rows.Texts[0][i] = trace.Nodes[f.Node];
            rows.Integers[1][i] = f.Vm;
            rows.Texts[2][i] = trace.NameOf(f.Node, f.Vm);
            rows.Integers[3][i] = f.Vcpu;
            rows.Texts[4][i] = f.Kind == FlowKind.Syscall ? "syscall" : "tlb miss";
            rows.Integers[5][i] = f.Ordinal;
            rows.Integers[6][i] = f.First.Sequence;
            rows.Integers[7][i] = f.Last.Sequence;
            rows.Integers[8][i] = f.First.Nanoseconds - origin;
            rows.Integers[9][i] = f.Last.Nanoseconds - origin;
            rows.Integers[10][i] = f.Nanoseconds;
            rows.Booleans[11][i] = f.ExactNanoseconds;
            rows.Integers[12][i] = f.First.Cycle == TraceRecord.NoCycle ? null : f.First.Cycle;
            rows.Integers[13][i] = f.Last.Cycle == TraceRecord.NoCycle ? null : f.Last.Cycle;
            rows.Integers[14][i] = f.Cycles;
            rows.Integers[15][i] = f.Records;
            rows.Integers[16][i] = f.Traps;
        }

        if (rows.Count > 0)
        {
            yield return rows;
        }
    }
}
