using System.Reflection;
using System.Text.RegularExpressions;
using ActorVmm.Analysis;
using ActorVmm.EndToEnd.Tests.Harness;
using ActorVmm.Monitor;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.EndToEnd.Tests.Tracing;

/// <summary>
/// The trace as tables: Parquet gives every record back with its typed event's fields in
/// named columns, and SQL over it answers the counts the run is known to have.
/// </summary>
[Collection(TracedRunCollection.Name)]
public sealed class TraceTablesTests(TracedRunFixture run)
{
    [Fact]
    public async Task Parquet_gives_back_every_record_with_its_events_fields_by_name()
    {
        string path = run.OutputFile("trace.parquet");
        long written = await ParquetTables.WriteAsync(path, TraceColumns.All, TraceTable.Blocks(run.Trace));
        var rows = await ParquetTables.ReadAsync(path);
        var records = run.Records;

        Assert.Equal(records.Count, written);
        Assert.Equal(records.Count, rows.Count);
        long origin = run.Trace.StartNanoseconds;
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var row = rows[i];
            Assert.Equal("local", row["node"]);
            Assert.Equal(r.Sequence, row["sequence"]);
            Assert.Equal(r.Kind.ToString(), row["kind"]);
            Assert.Equal((long)r.Vm, row["vm"]);
            Assert.Equal((long)r.Vcpu, row["vcpu"]);
            Assert.Equal((long)r.Pcpu, row["pcpu"]);
            Assert.Equal((long)r.GuestPc, row["guest_pc"]);
            Assert.Equal(r.Nanoseconds - origin, row["time_ns"]);
            Assert.Equal(!r.Interpolated, row["exact_time"]);
            Assert.Equal(r.Cycle == TraceRecord.NoCycle ? null : r.Cycle, row["cycle"]);
            AssertEventColumns(r, row);
        }
    }

    [Fact]
    public void The_columns_are_named_after_the_events_properties()
    {
        var names = TraceColumns.All.Select(c => c.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Superset(new HashSet<string> { "trap_name", "trap_kind", "code", "bad_vaddr", "in_delay_slot", "op", "vector", "epc", "ppn", "mpn", "fresh", "budget", "cycles_used", "reason", "from_vm", "to_vm" }, names.ToHashSet());
        Assert.Equal("in_delay_slot", TraceColumns.SnakeCase("InDelaySlot"));
        Assert.Equal("vpn2", TraceColumns.SnakeCase("Vpn2"));
    }

    [Fact]
    public async Task Sql_answers_the_runs_known_counts()
    {
        using var sql = await TraceSql.OpenAsync(run.Trace);
        var stats = run.Statistics;

        Assert.Equal((long)run.Records.Count, Convert.ToInt64(sql.Scalar("SELECT count(*) FROM records")));
        foreach (var ((_, vm), kinds) in stats.Kinds)
        {
            foreach (var (kind, count) in kinds)
            {
                Assert.Equal(count, Convert.ToInt64(sql.Scalar($"SELECT count(*) FROM records WHERE vm = {vm} AND kind = '{kind}'")));
            }
        }

        Assert.Equal(stats.Latencies.Values.Sum(l => l.RoundTrips), Convert.ToInt64(sql.Scalar("SELECT count(*) FROM traps")));
        Assert.Equal(stats.Latencies.Values.Sum(l => l.Timed.Count), Convert.ToInt64(sql.Scalar("SELECT count(*) FROM traps WHERE exact_latency")));
        Assert.Equal(stats.Latencies["mtc0"].Percentile(0.5), Convert.ToInt64(sql.Scalar(
            "SELECT latency_ns FROM (SELECT latency_ns, row_number() OVER (ORDER BY latency_ns) - 1 AS i, count(*) OVER () AS n FROM traps WHERE trap_name = 'mtc0' AND exact_latency) WHERE i = n // 2")));

        // The seed's flows: every one trace flow finds, numbered as it numbers them, except a
        // last one that never returns to the user (the process that powers the VM off).
        var reader = run.Trace.Files[0];
        foreach (var (kind, name) in new[] { (FlowKind.Syscall, "syscall"), (FlowKind.TlbMiss, "tlb miss") })
        {
            long complete = Convert.ToInt64(sql.Scalar($"SELECT count(*) FROM flows WHERE vm = 1 AND flow = '{name}'"));
            int started = TraceAnalysis.CountFlows(reader, 1, kind);
            Assert.InRange(complete, started - 1, started);
            Assert.Equal(complete, Convert.ToInt64(sql.Scalar($"SELECT max(ordinal) FROM flows WHERE vm = 1 AND flow = '{name}'")));
            if (complete < started)
            {
                Assert.DoesNotContain(TraceAnalysis.Flow(reader, 1, kind, started), r => TraceEvents.Is<ReturnFromTrapEvent>(r, out var ret) && ret.Mode == ActorVmm.Cpu.PrivilegeMode.User);
            }
        }

        var fifth = TraceAnalysis.Flow(reader, 1, FlowKind.Syscall, 5);
        Assert.Equal(fifth[^1].Sequence, Convert.ToInt64(sql.Scalar("SELECT last_sequence FROM flows WHERE vm = 1 AND flow = 'syscall' AND ordinal = 5")));
        Assert.Equal((long)fifth.Count, Convert.ToInt64(sql.Scalar("SELECT records FROM flows WHERE vm = 1 AND flow = 'syscall' AND ordinal = 5")));

        // Machine switches per physical CPU, as the run counted them.
        var switches = run.Run.Result.PhysicalCpus.Single().Counters.MachineSwitches;
        Assert.True(switches > 0);
        Assert.Equal(switches, Convert.ToInt64(sql.Scalar("SELECT count(*) FROM records WHERE kind = 'MachineSwitch' AND pcpu = 0")));

        // The cost of each decision in simulated cycles, summed, is what the vCPUs were charged for traps.
        Assert.Equal(run.Run.Result.Vms.Sum(v => PerfettoExportTests.MonitorCyclesOfDecisions(v.Statistics!.Ledger)),
            (long)(System.Numerics.BigInteger)sql.Scalar("SELECT sum(cost_cycles) FROM traps")!);
    }

    [Fact]
    public async Task Every_worked_query_in_the_docs_runs()
    {
        string doc = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "TRACING.md"));
        var queries = Regex.Matches(doc, "```sql\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(queries.Count >= 3, "docs/TRACING.md shows worked queries");

        using var sql = await TraceSql.OpenAsync(run.Trace);
        foreach (string query in queries)
        {
            var result = sql.Query(query);
            Assert.True(result.Rows.Count > 0, $"no rows from:\n{query}");
        }
    }

    /// <summary>Each public property of the record's typed event, in its column, by name.</summary>
    private static void AssertEventColumns(TraceRecord r, Dictionary<string, object?> row)
    {
        var type = typeof(TraceEvents).Assembly.GetTypes().Single(t => t.IsValueType && t.GetProperty("Kind", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is TraceKind k && k == r.Kind);
        var decode = typeof(TraceEvents).GetMethod(nameof(TraceEvents.As))!.MakeGenericMethod(type);
        object e = decode.Invoke(null, [r])!;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? value = p.GetValue(e);
            string column = TraceColumns.All.Select(c => c.Name).Contains(TraceColumns.SnakeCase(p.Name)) && p.Name != "Name"
                ? TraceColumns.SnakeCase(p.Name)
                : $"{TraceColumns.SnakeCase(r.Kind.ToString())}_{TraceColumns.SnakeCase(p.Name)}";
            object? expected = value switch
            {
                Enum en => en.ToString(),
                bool b => b,
                string s => s,
                null => null,
                _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            };
            Assert.Equal(expected, row[column]);
        }
    }
}
