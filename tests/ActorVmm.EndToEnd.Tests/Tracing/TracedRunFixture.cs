using ActorVmm.Actors;
using ActorVmm.EndToEnd.Tests.Monitor;
using ActorVmm.Host.Reports;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.EndToEnd.Tests.Tracing;

/// <summary>
/// One traced run of the two-guests workloads (pmake and a small ray tracer) sharing one
/// physical CPU, so that its trace has machine switches, and its report with the trap
/// latencies and the physical CPU's timeline, for the analysis tests to read.
/// </summary>
public sealed class TracedRunFixture : IDisposable
{
    public TracedRunFixture()
    {
        Guests = new MonitorGuestsFixture();
        var timeline = new PhysicalCpuTimeline();
        var settings = Guests.Settings("""
            { name = pmake, cmdline = "run=pmake" }
            { name = raytrace, cmdline = "run=raytrace:160:120" }
            """, physicalCpus: 1, trace: true);
        Run = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(5), timeline);
        TracePath = Run.TracePath!;
        Trace = TraceSet.Open([TracePath]);
        Statistics = TraceStatistics.Of(Trace);
        Report = RunReportBuilder.Build(Run.Result, null, timeline, Statistics);
    }

    public MonitorGuestsFixture Guests { get; }

    public MonitorRun Run { get; }

    public string TracePath { get; }

    public TraceSet Trace { get; }

    public TraceStatistics Statistics { get; }

    public RunReportModel Report { get; }

    /// <summary>The run's records in sequence order.</summary>
    public IReadOnlyList<TraceRecord> Records => Trace.Files[0].Records;

    /// <summary>A fresh file in the run's output directory.</summary>
    public string OutputFile(string name) => Path.Combine(Path.GetDirectoryName(TracePath)!, $"{Guid.NewGuid():N}-{name}");

    public void Dispose() => Guests.Dispose();
}

/// <summary>The analysis tests share one traced run.</summary>
[CollectionDefinition(Name)]
public sealed class TracedRunCollection : ICollectionFixture<TracedRunFixture>
{
    public const string Name = "traced run";
}
