using System.CommandLine;
using ActorVmm.Analysis;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm trace summary|flow|export|sql FILE...</c>: read a message trace.</summary>
public static class TraceCommand
{
    public static Command Create()
    {
        var command = new Command("trace", "Analyse a message trace written by actorvmm run (one file per node; several files are merged).");
        var files = new Argument<FileInfo[]>("files") { Description = "The trace files (.avtrace), one per node.", Arity = ArgumentArity.OneOrMore };
        var summary = new Command("summary", "Counts per message kind per VM, and trap round-trip latencies.") { files };
        summary.SetAction(parse => WithTraces(parse.GetValue(files)!, trace =>
        {
            Console.Out.Write(TraceAnalysis.Summary(trace));
            return 0;
        }));

        var flowFile = new Argument<FileInfo>("file") { Description = "The trace file (.avtrace)." };
        var vm = new Option<int>("--vm") { Description = "VM number (1-based, in scenario order).", Required = true };
        var syscall = new Option<int?>("--syscall") { Description = "Show the K-th system call made by a user process (1-based)." };
        var tlbMiss = new Option<int?>("--tlb-miss") { Description = "Show the K-th user TLB miss the L2 TLB could not serve (1-based)." };
        var flow = new Command("flow", "The messages of one system-call or TLB-miss flow, step by step.") { flowFile, vm, syscall, tlbMiss };
        flow.SetAction(parse => WithTraces([parse.GetValue(flowFile)!], set =>
        {
            var trace = set.Files[0];
            int? k = parse.GetValue(syscall);
            int? t = parse.GetValue(tlbMiss);
            if (k.HasValue == t.HasValue)
            {
                Console.Error.WriteLine("actorvmm trace flow: give exactly one of --syscall K or --tlb-miss K");
                return 2;
            }

            var kind = k.HasValue ? FlowKind.Syscall : FlowKind.TlbMiss;
            int ordinal = k ?? t!.Value;
            int id = parse.GetValue(vm);
            var records = TraceAnalysis.Flow(trace, id, kind, ordinal);
            if (records.Count == 0)
            {
                Console.Error.WriteLine($"actorvmm trace flow: vm{id} has {TraceAnalysis.CountFlows(trace, id, kind)} {(kind == FlowKind.Syscall ? "system calls" : "user TLB misses")} in this trace; no number {ordinal}");
                return 1;
            }

            Console.Out.Write(TraceAnalysis.Format(trace, records));
            return 0;
        }));

        command.Subcommands.Add(summary);
        command.Subcommands.Add(flow);
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Sql());
        return command;
    }

    private static Command Export()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "The trace files (.avtrace), one per node.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "perfetto (Chrome/Perfetto JSON, for ui.perfetto.dev) or parquet (one row per record, named typed columns).", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The file to write.", Required = true };
        var (time, vms, from, to) = WindowOptions();
        var command = new Command("export", "Write the trace for other tools: a Perfetto timeline or a Parquet table.") { files, format, output, time, vms, from, to };
        command.SetAction(parse =>
        {
            var (filter, error) = TraceWindow.Parse(parse.GetValue(time)!, parse.GetValue(vms) ?? [], parse.GetValue(from), parse.GetValue(to));
            string kind = parse.GetValue(format)!;
            if (error is null && kind is not ("perfetto" or "parquet"))
            {
                error = $"--format {kind}: expected perfetto or parquet";
            }

            if (error is not null)
            {
                Console.Error.WriteLine($"actorvmm trace export: {error}");
                return 2;
            }

            var target = parse.GetValue(output)!;
            return WithTraces(parse.GetValue(files)!, trace =>
            {
                if (kind == "perfetto")
                {
                    long events;
                    using (var stream = File.Create(target.FullName))
                    {
                        events = PerfettoExport.Write(trace, stream, filter);
                    }

                    Console.Out.WriteLine($"{target.FullName}: {events:N0} trace events ({(filter!.Axis == TimeAxis.Wall ? "wall clock" : "simulated cycles: 1 ns on the axis is 1 cycle")}); open it at ui.perfetto.dev");
                    if (events > LoadableEvents)
                    {
                        Console.Error.WriteLine($"actorvmm trace export: {events:N0} events may be more than Perfetto's UI loads in a browser (a few million); narrow it with --vm, --from and --to");
                    }

                    return 0;
                }

                long rows = ParquetTables.WriteAsync(target.FullName, TraceColumns.All, TraceTable.Blocks(trace, filter)).GetAwaiter().GetResult();
                Console.Out.WriteLine($"{target.FullName}: {rows:N0} rows, {TraceColumns.All.Count} columns");
                return 0;
            });
        });
        return command;
    }

    private static Command Sql()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "The trace files (.avtrace), one per node, then the query.", Arity = ArgumentArity.OneOrMore };
        var csv = new Option<bool>("--csv") { Description = "Print the result as CSV instead of a table." };
        var (time, vms, from, to) = WindowOptions();
        var command = new Command("sql", "Query the trace with SQL (DuckDB): views records, traps and flows (docs/TRACING.md).") { files, csv, time, vms, from, to };
        command.SetAction(parse =>
        {
            var arguments = parse.GetValue(files)!;
            if (arguments.Length < 2)
            {
                Console.Error.WriteLine("actorvmm trace sql: give the trace files, then the query, e.g. actorvmm trace sql out/trace.avtrace \"SELECT kind, count(*) FROM records GROUP BY kind\"");
                return 2;
            }

            // The last argument is the query, not a file.
            string query = parse.GetResult(files)!.Tokens[^1].Value;
            var (filter, error) = TraceWindow.Parse(parse.GetValue(time)!, parse.GetValue(vms) ?? [], parse.GetValue(from), parse.GetValue(to));
            if (error is not null)
            {
                Console.Error.WriteLine($"actorvmm trace sql: {error}");
                return 2;
            }

            return WithTraces(arguments[..^1], trace =>
            {
                using var sql = TraceSql.OpenAsync(trace, filter).GetAwaiter().GetResult();
                SqlResult result;
                try
                {
                    result = sql.Query(query);
                }
                catch (DuckDB.NET.Data.DuckDBException e)
                {
                    Console.Error.WriteLine($"actorvmm trace sql: {e.Message.Split('\n')[0]}");
                    return 2;
                }

                Console.Out.Write(parse.GetValue(csv) ? result.Csv() : result.Format());
                return 0;
            });
        });
        return command;
    }

    // A Perfetto JSON larger than this is slow or fails to load in a browser tab.
    private const long LoadableEvents = 4_000_000;

    private static (Option<string> Time, Option<int[]> Vms, Option<string?> From, Option<string?> To) WindowOptions() =>
    (
        new Option<string>("--time") { Description = "The time axis: wall (host wall clock) or cycles (simulated cycles).", DefaultValueFactory = _ => "wall" },
        new Option<int[]>("--vm") { Description = "Only these VMs (repeatable; 1-based, scenario order).", AllowMultipleArgumentsPerToken = true },
        new Option<string?>("--from") { Description = "Only records from this time on: wall 1.5s, 250ms, 800us; cycles 2M, 500K." },
        new Option<string?>("--to") { Description = "Only records up to this time." }
    );

    /// <summary>
    /// Open the files and run <paramref name="action"/> on what they hold. A file that was cut
    /// short or damaged is still read: what was recovered is analysed, the findings go to
    /// stderr, and the exit status is 1 unless the action failed otherwise. A file that cannot
    /// be read at all (not a trace, another format) exits with 2.
    /// </summary>
    public static int WithTraces(IReadOnlyList<FileInfo> files, Func<TraceSet, int> action)
    {
        TraceSet trace;
        try
        {
            trace = TraceSet.Open(files.Select(f => f.FullName));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorvmm trace: {e.Message}");
            return 2;
        }

        int status;
        try
        {
            status = action(trace);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorvmm trace: {e.Message}");
            return 2;
        }

        bool damaged = false;
        foreach (var file in trace.Files)
        {
            foreach (var finding in file.Integrity.Findings())
            {
                Console.Error.WriteLine($"actorvmm trace: {file.Path}: {finding}");
            }

            damaged |= !file.Integrity.Intact;
        }

        return status == 0 && damaged ? 1 : status;
    }
}
