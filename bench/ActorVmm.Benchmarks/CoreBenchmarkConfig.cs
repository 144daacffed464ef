using System.Collections.Concurrent;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Exec;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ActorVmm.Benchmarks;

/// <summary>
/// A short job (3 warm-ups, 5 measured iterations, one launch) so that the whole grid runs
/// in a few minutes on two cores, plus a guest-MIPS column.
/// </summary>
public sealed class CoreBenchmarkConfig : ManualConfig
{
    public CoreBenchmarkConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(5).WithLaunchCount(1).WithId("short5"));
        AddColumn(new GuestMipsColumn());
        HideColumns(Column.Error);
    }
}

/// <summary>Guest instructions of one operation over its mean time. The count is taken by running the guest once in this process.</summary>
public sealed class GuestMipsColumn : IColumn
{
    private static readonly ConcurrentDictionary<(string, string), long> Counts = new();

    public string Id => nameof(GuestMipsColumn);

    public string ColumnName => "Guest MIPS";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Guest instructions retired per operation / mean time, in millions per second";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats)
        {
            return "-";
        }

        string guest = (string)benchmarkCase.Parameters["Guest"];
        string delivery = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Delivery")?.Value?.ToString() ?? "exec";
        long instructions = Counts.GetOrAdd((guest, delivery), key => Count(key.Item1, key.Item2));
        return (instructions / stats.Mean * 1e3).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long Count(string guest, string delivery)
    {
        var program = GuestProgram.Named(guest);
        if (delivery == "exec")
        {
            using var process = new LinuxProcess(program.Load(), [Path.GetFileName(program.Path), .. program.Arguments], Stream.Null, Stream.Null);
            process.Run();
            return process.InstructionsRetired;
        }

        using var board = new BareUserBoard(program);
        return board.Run(Enum.Parse<DeliveryMode>(delivery), 1 << 20, out _);
    }
}
