using System.Text.Json;
using ActorVmm.Analysis;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.EndToEnd.Tests.Tracing;

/// <summary>
/// The Perfetto export of a two-guests run, checked structurally: the tracks, the quanta and
/// traps as slices nested where they belong, a flow arrow for every trap and every map
/// request, the instants, and the simulated-cycle axis against the records' cycles.
/// </summary>
[Collection(TracedRunCollection.Name)]
public sealed class PerfettoExportTests(TracedRunFixture run)
{
    [Fact]
    public void The_timeline_has_a_process_for_the_node_and_a_track_per_physical_cpu_vcpu_router_and_the_memory_manager()
    {
        var events = Export(TraceFilter.All);

        var process = Assert.Single(events, e => Str(e, "ph") == "M" && Str(e, "name") == "process_name");
        Assert.StartsWith("local", process.GetProperty("args").GetProperty("name").GetString());
        var threads = events.Where(e => Str(e, "ph") == "M" && Str(e, "name") == "thread_name")
            .Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?>
        {
            "monitor: epochs", "physical CPU 0", "vm1 pmake: vCPU 0", "vm2 raytrace: vCPU 0",
            "vm1 pmake: trap router", "vm2 raytrace: trap router", "memory manager",
        }, threads);
    }

    [Fact]
    public void Each_quantum_and_each_trap_is_a_slice_and_every_trap_slice_lies_inside_a_quantum_of_its_vcpu()
    {
        var events = Export(TraceFilter.All);
        var slices = events.Where(e => Str(e, "ph") == "X").ToList();
        var yields = run.Records.Count(r => r.Kind == TraceKind.Yield);
        var quanta = slices.Where(e => Str(e, "cat") == "quantum").ToList();
        var traps = slices.Where(e => Str(e, "cat") == "trap").ToList();

        Assert.Equal(2 * yields, quanta.Count); // on the physical CPU's track and on the vCPU's
        Assert.Equal(run.Statistics.Latencies.Values.Sum(l => l.RoundTrips), traps.Count);
        Assert.Equal(traps.Count, slices.Count(e => Str(e, "cat") == "decision"));
        Assert.Equal(run.Statistics.TrapNames.Values.SelectMany(n => n).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value)),
            traps.GroupBy(t => Str(t, "name")).ToDictionary(g => g.Key!, g => (long)g.Count()));

        var quantaByTrack = quanta.Where(q => Tid(q) >= 100_000).GroupBy(Tid).ToDictionary(g => g.Key, g => g.Select(Span).OrderBy(s => s.Start).ToList());
        foreach (var trap in traps)
        {
            var (start, end) = Span(trap);
            Assert.True(quantaByTrack[Tid(trap)].Any(q => q.Start <= start && end <= q.End),
                $"trap slice at {start} µs (seq {trap.GetProperty("args").GetProperty("sequence")}) lies in no quantum of its vCPU");
        }
    }

    [Fact]
    public void Every_trap_has_an_arrow_to_its_decision_and_every_map_request_an_arrow_to_the_memory_manager()
    {
        var events = Export(TraceFilter.All);
        var starts = events.Where(e => Str(e, "ph") == "s").ToList();
        var ends = events.Where(e => Str(e, "ph") == "f").ToDictionary(e => e.GetProperty("id").GetInt64());
        long traps = run.Statistics.Latencies.Values.Sum(l => l.RoundTrips);
        long maps = run.Records.Count(r => r.Kind == TraceKind.MapRequest);
        long tlbWriteMaps = run.Records.Count(r => TraceEvents.Is<MapRequestEvent>(r, out var m) && m.Purpose == MapPurpose.TlbWrite);

        Assert.Equal(traps + maps, starts.Count);
        Assert.Equal(starts.Count, ends.Count);
        Assert.Equal(traps, starts.Count(s => Str(s, "name") == "trap → decision"));
        Assert.Equal(tlbWriteMaps, starts.Count(s => Str(s, "name") == "TLB write → map"));
        var slices = events.Where(e => Str(e, "ph") == "X" && Str(e, "cat") != "quantum").GroupBy(Tid)
            .ToDictionary(g => g.Key, g => g.Select(Span).OrderBy(x => x.Start).ToList());
        foreach (var s in starts)
        {
            var f = ends[s.GetProperty("id").GetInt64()];
            Assert.Equal(Str(s, "name"), Str(f, "name"));
            Assert.NotEqual(Tid(s), Tid(f));
            // The arrow's head binds to the decision or map slice that starts there on its own track.
            Assert.True(StartsAt(slices[Tid(f)], Ts(f)), $"no slice starts at the arrow's head ({Str(f, "name")}, {Ts(f)} µs)");
            if (Str(s, "name") == "trap → decision")
            {
                Assert.True(StartsAt(slices[Tid(s)], Ts(s)), $"no trap slice starts at the arrow's tail ({Ts(s)} µs)");
            }
        }
    }

    [Fact]
    public void Machine_switches_and_the_vms_lifecycle_are_instants()
    {
        var instants = Export(TraceFilter.All).Where(e => Str(e, "ph") == "i").ToList();

        Assert.Equal(run.Records.Count(r => r.Kind == TraceKind.MachineSwitch), instants.Count(i => Str(i, "cat") == "MachineSwitch"));
        Assert.True(instants.Count(i => Str(i, "cat") == "MachineSwitch") > 0, "two VMs on one physical CPU machine-switch");
        Assert.Equal(2, instants.Count(i => Str(i, "cat") == "VmPoweredOff"));
        Assert.All(instants.Where(i => Str(i, "cat") == "MachineSwitch"), i => Assert.Equal(10, Tid(i)));
    }

    [Fact]
    public void On_the_cycle_axis_quanta_and_traps_last_their_simulated_cycles()
    {
        var events = Export(new TraceFilter(new HashSet<int>(), TimeAxis.Cycles));
        var dispatches = run.Records.Where(r => r.Kind == TraceKind.Dispatch).Select(r => r.Cycle).ToHashSet();
        var used = run.Records.Where(r => r.Kind == TraceKind.Yield).Select(r => TraceEvents.As<YieldEvent>(r).CyclesUsed).ToList();
        var onCpu = events.Where(e => Str(e, "ph") == "X" && Str(e, "cat") == "quantum" && Tid(e) == 10).ToList();

        Assert.All(onCpu, q => Assert.Contains(Cycles(q, "ts"), dispatches));
        Assert.Equal(used.Order(), onCpu.Select(q => Cycles(q, "dur")).Order());
        var quanta = onCpu.Select(Span).OrderBy(s => s.Start).ToList();
        Assert.True(quanta.Zip(quanta.Skip(1)).All(p => p.First.End <= p.Second.Start + 1e-6), "a physical CPU's quanta overlap in simulated time");

        // A trap lasts what its decision cost the vCPU: at least trap entry and exit.
        var traps = events.Where(e => Str(e, "ph") == "X" && Str(e, "cat") == "trap").ToList();
        Assert.All(traps, t => Assert.InRange(Cycles(t, "dur"), 60 + 25, 60 + 150 + 90 + 120));
        Assert.Equal(run.Run.Result.Vms.Sum(v => MonitorCyclesOfDecisions(v.Statistics!.Ledger)), traps.Sum(t => Cycles(t, "dur")));
    }

    [Fact]
    public void A_vm_and_a_window_narrow_the_export()
    {
        long end = run.Records.Max(r => r.Cycle);
        var events = Export(new TraceFilter(new HashSet<int> { 2 }, TimeAxis.Cycles, end / 4, end / 2));
        var timed = events.Where(e => Str(e, "ph") is "X" or "i").ToList();

        Assert.NotEmpty(timed);
        Assert.All(timed, e => Assert.InRange(Cycles(e, "ts"), end / 4, end / 2));
        Assert.DoesNotContain(events, e => Str(e, "ph") == "M" && e.GetProperty("args").TryGetProperty("name", out var n) && n.GetString()!.StartsWith("vm1", StringComparison.Ordinal));
    }

    internal static long MonitorCyclesOfDecisions(ActorVmm.Monitor.LedgerSnapshot ledger) =>
        new[] { ActorVmm.Monitor.Mechanism.TrapEntryExit, ActorVmm.Monitor.Mechanism.PrivilegedEmulation, ActorVmm.Monitor.Mechanism.Reflection,
            ActorVmm.Monitor.Mechanism.TlbWriteInterception, ActorVmm.Monitor.Mechanism.DeviceEmulation }.Sum(ledger.CyclesOf);

    private List<JsonElement> Export(TraceFilter filter)
    {
        using var stream = new MemoryStream();
        PerfettoExport.Write(run.Trace, stream, filter);
        using var json = JsonDocument.Parse(stream.ToArray());
        return json.RootElement.GetProperty("traceEvents").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Whether a slice of the sorted list starts at <paramref name="ts"/>.</summary>
    private static bool StartsAt(List<(double Start, double End)> sorted, double ts)
    {
        int lo = 0, hi = sorted.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid].Start < ts - 1e-9)
            {
                lo = mid + 1;
            }
            else if (sorted[mid].Start > ts + 1e-9)
            {
                hi = mid - 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static int Tid(JsonElement e) => e.GetProperty("tid").GetInt32();

    private static double Ts(JsonElement e) => e.GetProperty("ts").GetDouble();

    private static (double Start, double End) Span(JsonElement e) => (Ts(e), Ts(e) + e.GetProperty("dur").GetDouble());

    private static long Cycles(JsonElement e, string name) => (long)Math.Round(e.GetProperty(name).GetDouble() * 1000);
}
