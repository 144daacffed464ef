using System.Data.Common;
using ActorVmm.Monitor.Tracing;
using DuckDB.NET.Data;

namespace ActorVmm.Analysis;

/// <summary>
/// SQL over a trace through an embedded DuckDB: the records and the flows are written as
/// Parquet files into a temporary directory, and an in-memory database sees them as views.
/// <list type="bullet">
/// <item><c>records</c>: one row per record, the columns of <see cref="TraceColumns"/>;</item>
/// <item><c>traps</c>: one row per trap with the router's decision that answered it (the k-th
/// trap of a vCPU pairs with its k-th decision), the wall-clock latency, whether it was timed
/// exactly at both ends, and the simulated cycles the decision cost;</item>
/// <item><c>flows</c>: the seed's system-call and TLB-miss flows (<see cref="FlowTable"/>).</item>
/// </list>
/// </summary>
public sealed class TraceSql : IDisposable
{
    private readonly string _directory;
    private readonly DuckDBConnection _connection;

    private TraceSql(string directory, DuckDBConnection connection)
    {
        _directory = directory;
        _connection = connection;
    }

    public static async Task<TraceSql> OpenAsync(TraceSet trace, TraceFilter? filter = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"actorvmm-sql-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            string records = Path.Combine(directory, "records.parquet");
            string flows = Path.Combine(directory, "flows.parquet");
            await ParquetTables.WriteAsync(records, TraceColumns.All, TraceTable.Blocks(trace, filter));
            await ParquetTables.WriteAsync(flows, FlowTable.Columns, FlowTable.Blocks(trace, filter));
            var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            var sql = new TraceSql(directory, connection);
            sql.Execute($"CREATE VIEW records AS SELECT * FROM read_parquet('{records}')");
            sql.Execute($"CREATE VIEW flows AS SELECT * FROM read_parquet('{flows}')");
            sql.Execute(TrapsView);
            return sql;
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The pairing of traps and decisions, as <see cref="TraceStatistics"/> does it.</summary>
    public static string TrapsView
    {
        get
        {
            string decisions = string.Join(", ", Enum.GetValues<TraceKind>().Where(TraceEvents.IsDecision).Select(k => $"'{k}'"));
            return $"""
                CREATE VIEW traps AS
                WITH t AS (
                  SELECT *, row_number() OVER (PARTITION BY node, vm, vcpu ORDER BY sequence) AS k
                  FROM records WHERE kind = 'Trap'),
                d AS (
                  SELECT node, vm, vcpu, sequence AS decision_sequence, kind AS decision, time_ns AS decision_ns,
                         exact_time AS decision_exact, cycle AS decision_cycle,
                         row_number() OVER (PARTITION BY node, vm, vcpu ORDER BY sequence) AS k
                  FROM records WHERE kind IN ({decisions}))
                SELECT t.node, t.vm, t.vm_name, t.vcpu, t.pcpu, t.sequence, t.time_ns, t.cycle, t.guest_pc,
                       t.trap_name, t.trap_kind, t.code, t.instruction, t.bad_vaddr, t.in_delay_slot,
                       d.decision, d.decision_sequence, d.decision_ns,
                       d.decision_ns - t.time_ns AS latency_ns,
                       t.exact_time AND d.decision_exact AS exact_latency,
                       d.decision_cycle - t.cycle AS cost_cycles
                FROM t JOIN d USING (node, vm, vcpu, k)
                """;
        }
    }

    /// <summary>Run a query; its result as column names and rows.</summary>
    public SqlResult Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new SqlResult(names, rows);
    }

    /// <summary>The one value of a one-row, one-column query.</summary>
    public object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public void Dispose()
    {
        _connection.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Execute(string sql)
    {
        using DbCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>A query's answer.</summary>
public sealed record SqlResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>As an aligned text table, numbers right-aligned.</summary>
    public string Format()
    {
        var cells = Rows.Select(r => r.Select(Cell).ToArray()).ToList();
        var widths = Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(string.Join("  ", Columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var (row, values) in cells.Zip(Rows))
        {
            sb.AppendLine(string.Join("  ", row.Select((c, i) => IsNumber(values[i]) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
        }

        sb.AppendLine($"({Rows.Count} row{(Rows.Count == 1 ? "" : "s")})");
        return sb.ToString();
    }

    /// <summary>As CSV (RFC 4180 quoting).</summary>
    public string Csv()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(string.Join(",", Columns.Select(Quote)));
        foreach (var row in Rows)
        {
            sb.AppendLine(string.Join(",", row.Select(v => Quote(Cell(v)))));
        }

        return sb.ToString();
    }

    private static bool IsNumber(object? v) => v is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or System.Numerics.BigInteger;

    private static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
