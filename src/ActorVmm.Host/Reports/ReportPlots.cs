using ScottPlot;

namespace ActorVmm.Host.Reports;

/// <summary>
/// The report as charts, each written as PNG and SVG: Disco's Figure 5 form (execution time
/// per workload, native = 100, stacked by where the time went), trap round-trip latency
/// histograms by kind (when the run was traced), and each physical CPU's busy share over
/// simulated time.
/// </summary>
public static class ReportPlots
{
    private const int Width = 1000;
    private const int Height = 560;

    // Figure 5's segments, bottom to top: the guest's own time, then what the monitor adds.
    private static readonly (string Mechanism, string Label)[] Mechanisms =
    [
        ("TrapEntryExit", "trap entry/exit"),
        ("Reflection", "reflection"),
        ("PrivilegedEmulation", "emulation"),
        ("TlbWriteInterception", "TLB-write interception"),
        ("L2TlbRefill", "L2 TLB refill"),
        ("MpnAllocation", "MPN allocation"),
        ("MachineSwitch", "machine switch"),
        ("TlbFlush", "TLB flush"),
        ("DeviceEmulation", "device emulation"),
    ];

    /// <summary>Write every chart the report has data for into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(RunReportModel report, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        Save(Figure5(report), directory, "figure5", written);
        if (report.TrapLatencies is { Count: > 0 } latencies && latencies.Any(l => l.Timed > 0))
        {
            Save(Latencies(latencies), directory, "trap-latency", written);
        }

        if (report.PhysicalCpuTimeline is { Count: > 0 } timeline && timeline[0].EndCycles.Count > 0)
        {
            Save(BusyIdle(timeline), directory, "physical-cpus", written);
        }

        return written;
    }

    public static Plot Figure5(RunReportModel report)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        var vms = report.Vms.Where(v => v.GuestInstructions > 0).ToList();
        var segments = new List<(string Label, Func<VmReport, double> Percent)>
        {
            ("user", vm => Percent(vm, vm.UserInstructions * CyclesPerInstruction(vm))),
            ("kernel", vm => Percent(vm, vm.KernelInstructions * CyclesPerInstruction(vm))),
            ("idle", vm => Percent(vm, vm.Cycles.Idle)),
        };
        segments.AddRange(Mechanisms.Select(m => (m.Label, (Func<VmReport, double>)(vm => Percent(vm, vm.Mechanisms.FirstOrDefault(x => x.Mechanism == m.Mechanism)?.Cycles ?? 0)))));
        var bars = new List<Bar>();
        for (int i = 0; i < vms.Count; i++)
        {
            double bottom = 0;
            for (int s = 0; s < segments.Count; s++)
            {
                double value = segments[s].Percent(vms[i]);
                if (value <= 0)
                {
                    continue;
                }

                bars.Add(new Bar { Position = i, ValueBase = bottom, Value = bottom + value, FillColor = palette.GetColor(s), Size = 0.6 });
                bottom += value;
            }

            plot.Add.Text($"{bottom:F0}", i, bottom).Alignment = Alignment.LowerCenter;
        }

        plot.Add.Bars(bars);
        for (int s = 0; s < segments.Count; s++)
        {
            if (vms.Any(vm => segments[s].Percent(vm) > 0))
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = segments[s].Label, FillColor = palette.GetColor(s) });
            }
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, vms.Count).Select(i => (double)i).ToArray(), vms.Select(v => v.Name).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Right);
        plot.Title($"{report.Scenario}: execution time in simulated cycles, native = 100 (Disco's Figure 5)");
        plot.YLabel("% of the native run");
        return plot;
    }

    public static Plot Latencies(IReadOnlyList<TrapLatencyReport> latencies)
    {
        var plot = new Plot();
        var shown = latencies.Where(l => l.Timed > 0).OrderByDescending(l => l.RoundTrips).Take(8).ToList();
        var buckets = shown.SelectMany(l => l.BucketNanoseconds).Distinct().Order().ToList();
        foreach (var l in shown)
        {
            var xs = l.BucketNanoseconds.Select(b => (double)buckets.IndexOf(b)).ToArray();
            var ys = l.Counts.Select(c => 100.0 * c / l.Timed).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = $"{l.Trap} (p50 {l.P50Microseconds:F2} µs, {l.Timed:N0} timed)";
            line.LineWidth = 2;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, buckets.Count).Select(i => (double)i).ToArray(), buckets.Select(Duration).ToArray());
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Trap round trip (trap to the router's decision, wall clock), by kind");
        plot.XLabel("latency (bucket from this value to twice it)");
        plot.YLabel("% of the kind's exactly timed round trips");
        return plot;
    }

    public static Plot BusyIdle(IReadOnlyList<PhysicalCpuTimelineReport> timeline)
    {
        var plot = new Plot();
        foreach (var cpu in timeline)
        {
            var xs = cpu.EndCycles.Select(c => c / 1e6).ToArray();
            var ys = cpu.BusyCycles.Zip(cpu.IdleCycles, (b, i) => b + i == 0 ? 0 : 100.0 * b / (b + i)).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = $"physical CPU {cpu.Id}";
            line.LineWidth = 2;
            line.MarkerSize = xs.Length > 60 ? 0 : 4;
        }

        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Title("Physical CPUs: busy share of each interval over simulated time (idle = 100 − busy)");
        plot.XLabel("simulated time (million cycles)");
        plot.YLabel("busy %");
        return plot;
    }

    private static long CyclesPerInstruction(VmReport vm) => vm.GuestInstructions > 0 ? Math.Max(1, vm.Cycles.Native / vm.GuestInstructions) : 1;

    private static double Percent(VmReport vm, double cycles)
    {
        double native = vm.Cycles.Native + vm.Cycles.Idle;
        return native > 0 ? 100.0 * cycles / native : 0;
    }

    private static string Duration(long ns) => ns switch
    {
        < 1_000 => $"{ns} ns",
        < 1_000_000 => $"{ns / 1e3:0.#} µs",
        _ => $"{ns / 1e6:0.#} ms",
    };

    private static void Save(Plot plot, string directory, string name, List<string> written)
    {
        string png = Path.Combine(directory, name + ".png");
        string svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        written.Add(png);
        written.Add(svg);
    }
}
