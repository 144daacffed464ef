using ActorVmm.Actors;
using ActorVmm.Monitor;

namespace ActorVmm.Host.Reports;

/// <summary>
/// Collects each physical CPU's busy and idle cycles at every epoch boundary of a run (an
/// observer of its progress), for the report's busy/idle-over-simulated-time chart. Passes
/// each report on to another observer (the progress display) when there is one.
/// </summary>
public sealed class PhysicalCpuTimeline(IRunObserver? next = null) : IRunObserver
{
    // Beyond this many intervals, neighbours are merged: a chart has a few hundred points across.
    private const int MaxIntervals = 400;

    private readonly List<IReadOnlyList<PhysicalCpuResult>> _boundaries = new();

    public void Progress(RunProgress progress)
    {
        if (progress.PhysicalCpus is { Count: > 0 } cpus)
        {
            lock (_boundaries)
            {
                if (_boundaries.Count == 0 || _boundaries[^1][0].Clock != cpus[0].Clock)
                {
                    _boundaries.Add(cpus);
                }
            }
        }

        next?.Progress(progress);
    }

    public List<PhysicalCpuTimelineReport> Report()
    {
        lock (_boundaries)
        {
            if (_boundaries.Count == 0)
            {
                return [];
            }

            int step = (_boundaries.Count + MaxIntervals - 1) / MaxIntervals;
            var points = _boundaries.Where((_, i) => i % step == step - 1 || i == _boundaries.Count - 1).ToList();
            return points[0].Select(cpu =>
            {
                var ends = new List<long>();
                var busy = new List<long>();
                var idle = new List<long>();
                long lastBusy = 0, lastIdle = 0;
                foreach (var boundary in points)
                {
                    var c = boundary.First(p => p.Id == cpu.Id);
                    ends.Add(c.Clock);
                    busy.Add(c.Counters.BusyCycles - lastBusy);
                    idle.Add(c.Counters.IdleCycles - lastIdle);
                    lastBusy = c.Counters.BusyCycles;
                    lastIdle = c.Counters.IdleCycles;
                }

                return new PhysicalCpuTimelineReport(cpu.Id, ends, busy, idle);
            }).ToList();
        }
    }
}
