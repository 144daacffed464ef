using ActorVmm.Actors;
using ActorVmm.Monitor;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;

namespace ActorVmm.Host.Reports;

/// <summary>Turns a monitor run's counters (and optional native baselines) into the report.</summary>
public static class RunReportBuilder
{
    /// <param name="timeline">The physical CPUs at each epoch boundary (<see cref="PhysicalCpuTimeline"/>), for busy and idle over simulated time.</param>
    /// <param name="trace">The run's trace statistics, for trap latencies.</param>
    public static RunReportModel Build(MonitorResult result, IReadOnlyDictionary<int, NativeBaseline>? native = null,
        PhysicalCpuTimeline? timeline = null, Monitor.Tracing.TraceStatistics? trace = null)
    {
        long cpi = result.Settings.Costs.GuestInstruction;
        var commandLines = result.Settings.Vms.ToDictionary(v => v.Id, v => v.CommandLine);
        var vms = result.Vms.Select(vm => Vm(vm, cpi, native?.GetValueOrDefault(vm.Id)) with { CommandLine = commandLines.GetValueOrDefault(vm.Id, "") }).ToList();
        var memory = result.Memory;
        var names = result.Vms.ToDictionary(v => v.Id, v => v.Name);
        long instructions = vms.Sum(v => v.GuestInstructions);
        return new RunReportModel(
            result.Settings.ScenarioName,
            result.Nodes is { Count: > 1 } ? result.PhysicalCpus.Count : result.Settings.Machine.PhysicalCpus,
            result.WallTime.TotalSeconds,
            result.Epochs,
            result.PhysicalCpus.Count == 0 ? 0 : result.PhysicalCpus.Max(p => p.Clock),
            result.WallTime.TotalSeconds > 0 ? instructions / result.WallTime.TotalSeconds / 1e6 : 0,
            vms,
            Total(vms),
            result.PhysicalCpus.Select(p => new PhysicalCpuReport(p.Id, p.Clock, p.Counters.BusyCycles, p.Counters.IdleCycles, p.Counters.Dispatches, p.Counters.MachineSwitches, p.Counters.GuestInstructions)).ToList(),
            new MemoryReport(memory.TotalPages, memory.AllocatedPages, memory.PeakAllocatedPages,
                memory.PagesByVm.ToDictionary(kv => names.GetValueOrDefault(kv.Key, $"vm{kv.Key}"), kv => (long)kv.Value))
            {
                Sharing = memory.Sharing switch
                {
                    { Enabled: false } => "off",
                    var s => string.Join(" + ", new[] { s.Images ? "images" : null, s.Content ? $"content (scan {s.ScanRate} pages per epoch)" : null }.OfType<string>()),
                },
                PeakGuestPages = memory.PeakGuestPages,
                PeakMachinePagesBetweenEpochs = memory.PeakAllocatedBetweenEpochs,
                PeakSharedPages = memory.PeakSharedPages,
                PagesScanned = memory.PagesScanned,
                PagesMerged = memory.PagesMerged,
                Vms = memory.Vms.OrderBy(kv => kv.Key).ToDictionary(kv => names.GetValueOrDefault(kv.Key, $"vm{kv.Key}"),
                    kv => new VmMemoryReport(kv.Value.PeakGuestPages, kv.Value.PeakSharedPages, kv.Value.CopyOnWriteBreaks, kv.Value.Merged, kv.Value.ZeroRequests, kv.Value.Released)),
            },
            timeline?.Report(),
            trace is null ? null : TrapLatencies(trace),
            Nodes(result, names),
            result.Migrations is { Count: > 0 } moves
                ? moves.Select(m => new MigrationReport(m.Name, m.From, m.To, m.Epoch, m.Cycle, m.Pages, m.Bytes, m.WallMilliseconds)).ToList()
                : null);
    }

    /// <summary>Per node, for a cluster run (a one-node run's figures are the physical CPUs' and the memory's).</summary>
    private static List<NodeReport>? Nodes(MonitorResult result, IReadOnlyDictionary<int, string> names)
    {
        if (result.Nodes is not { Count: > 1 } nodes)
        {
            return null;
        }

        var cpus = result.PhysicalCpus.ToDictionary(p => p.Id);
        var moves = result.Migrations ?? [];
        return nodes.Select(n => new NodeReport(
            n.Name,
            n.PhysicalCpus,
            n.PhysicalCpus.Sum(p => cpus.TryGetValue(p, out var c) ? c.Counters.BusyCycles : 0),
            n.PhysicalCpus.Sum(p => cpus.TryGetValue(p, out var c) ? c.Counters.IdleCycles : 0),
            n.VmsHosted.Select(v => names.GetValueOrDefault(v, $"vm{v}")).ToList(),
            n.MigrationsIn, n.MigrationsOut, n.PagesIn, n.PagesOut,
            moves.Where(m => m.To == n.Name).Sum(m => m.Bytes), moves.Where(m => m.From == n.Name).Sum(m => m.Bytes),
            n.Memory.PeakAllocatedPages)).ToList();
    }

    private static List<TrapLatencyReport> TrapLatencies(Monitor.Tracing.TraceStatistics trace) =>
        trace.Latencies.Values.OrderByDescending(l => l.RoundTrips).ThenBy(l => l.Trap, StringComparer.Ordinal).Select(l =>
        {
            var counts = l.Log2Histogram();
            int first = Array.FindIndex(counts, c => c > 0);
            int last = Array.FindLastIndex(counts, c => c > 0);
            var buckets = first < 0 ? [] : Enumerable.Range(first, last - first + 1).ToList();
            return new TrapLatencyReport(l.Trap, l.RoundTrips, l.Timed.Count, l.Percentile(0.5) / 1e3, l.Percentile(0.99) / 1e3,
                buckets.Select(k => k == 0 ? 0L : 1L << k).ToList(), buckets.Select(k => counts[k]).ToList());
        }).ToList();

    private static VmReport Vm(VmResult vm, long cpi, NativeBaseline? native)
    {
        var outcome = vm.Outcome;
        var s = vm.Statistics;
        if (s is null)
        {
            return new VmReport(vm.Id, vm.Name, outcome.Kind.ToString(), outcome.ExitStatus, outcome.Diagnostic ?? vm.FailureReason,
                0, 0, 0, new CycleReport(0, 0, 0, 0, 0), 0, new Dictionary<string, long>(), new CountersReport(0, 0, 0, 0, 0, 0, 0, 0), [], [], null, null, vm.AdmittedAt);
        }

        var ledger = s.Ledger;
        long nativeCycles = s.GuestInstructions * cpi;
        long monitor = ledger.Total;
        var mechanisms = Enum.GetValues<Mechanism>()
            .Select(m => new MechanismReport(m.ToString(), ledger.EventsOf(m), ledger.CyclesOf(m), Percent(ledger.CyclesOf(m), nativeCycles)))
            .ToList();
        var counters = new CountersReport(
            ledger.EventsOf(Mechanism.Reflection),
            ledger.EventsOf(Mechanism.PrivilegedEmulation),
            ledger.EventsOf(Mechanism.TlbWriteInterception),
            s.L2TlbHits,
            ledger.EventsOf(Mechanism.MpnAllocation),
            ledger.EventsOf(Mechanism.MachineSwitch),
            ledger.EventsOf(Mechanism.DeviceEmulation),
            s.ContextSwitches)
        {
            L2TlbMode = s.L2TlbMode.ToString(),
            L2GuestRefills = s.L2GuestRefills,
            L2GuestInstructionsSaved = s.L2GuestInstructionsSaved,
            Paravirtual = s.Paravirtual,
        };
        NativeReport? nativeReport = native is null ? null : new NativeReport(
            native.Statistics.Instructions, native.Statistics.KernelInstructions, native.Statistics.UserInstructions, native.Statistics.IdleCycles,
            native.Statistics.Instructions == s.GuestInstructions && native.Statistics.KernelInstructions == s.KernelInstructions,
            native.Console == vm.Console,
            native.Statistics.WallTime.TotalSeconds,
            native.Statistics.Mips);
        return new VmReport(
            vm.Id, vm.Name, outcome.Kind.ToString(), outcome.ExitStatus, outcome.Diagnostic,
            s.GuestInstructions, s.KernelInstructions, s.UserInstructions,
            new CycleReport(nativeCycles, monitor, nativeCycles + monitor, s.IdleCycles, Percent(monitor, nativeCycles)),
            vm.FinishedAt,
            s.Traps,
            counters,
            mechanisms,
            Services(s.Services, native?.Statistics.Services, cpi),
            nativeReport,
            vm.Placements is { Count: > 1 } places ? places.Select(p => $"{p.Node} from epoch {p.Epoch}").ToList() : null,
            vm.AdmittedAt);
    }

    /// <summary>Per service: native cycles per event from the native run (or the same instructions), virtualized from this run.</summary>
    private static List<ServiceReport> Services(ServiceProfileSnapshot virtualized, ServiceProfileSnapshot? native, long cpi)
    {
        var rows = new List<ServiceReport>();
        foreach (var service in Enum.GetValues<Service>())
        {
            long count = virtualized.CountOf(service);
            if (count > 0)
            {
                rows.Add(Row(ServiceNames.Of(service), count, virtualized.InstructionsOf(service), virtualized.MonitorCyclesOf(service),
                    native is null ? null : (native.CountOf(service), native.InstructionsOf(service)), cpi));
            }
        }

        foreach (var call in virtualized.Syscalls)
        {
            var nativeCall = native?.Syscalls.FirstOrDefault(c => c.Number == call.Number);
            rows.Add(Row("  " + ServiceNames.Syscall(call.Number), call.Count, call.Instructions, call.MonitorCycles,
                nativeCall is null ? null : (nativeCall.Count, nativeCall.Instructions), cpi));
        }

        return rows;
    }

    private static ServiceReport Row(string name, long count, long instructions, long monitor, (long Count, long Instructions)? native, long cpi)
    {
        double nativePerEvent = native is { Count: > 0 } n ? (double)n.Instructions * cpi / n.Count : (double)instructions * cpi / count;
        double virtualizedPerEvent = ((double)instructions * cpi + monitor) / count;
        return new ServiceReport(name, count, instructions, monitor, nativePerEvent, virtualizedPerEvent, nativePerEvent > 0 ? virtualizedPerEvent / nativePerEvent : 0);
    }

    private static VmReport Total(IReadOnlyList<VmReport> vms)
    {
        var traps = new SortedDictionary<string, long>();
        foreach (var (kind, count) in vms.SelectMany(v => v.Traps))
        {
            traps[kind] = traps.GetValueOrDefault(kind) + count;
        }

        long native = vms.Sum(v => v.Cycles.Native);
        long monitor = vms.Sum(v => v.Cycles.Monitor);
        var mechanisms = Enum.GetValues<Mechanism>().Select(m =>
        {
            long cycles = vms.Sum(v => v.Mechanisms.FirstOrDefault(x => x.Mechanism == m.ToString())?.Cycles ?? 0);
            long events = vms.Sum(v => v.Mechanisms.FirstOrDefault(x => x.Mechanism == m.ToString())?.Events ?? 0);
            return new MechanismReport(m.ToString(), events, cycles, Percent(cycles, native));
        }).ToList();
        var c = vms.Select(v => v.Counters).ToList();
        return new VmReport(0, "total", $"{vms.Count(v => v.Outcome == nameof(MachineOutcomeKind.PoweredOff))} of {vms.Count} powered off", 0, null,
            vms.Sum(v => v.GuestInstructions), vms.Sum(v => v.KernelInstructions), vms.Sum(v => v.UserInstructions),
            new CycleReport(native, monitor, native + monitor, vms.Sum(v => v.Cycles.Idle), Percent(monitor, native)),
            vms.Select(v => v.FinishedAtCycle).DefaultIfEmpty(0).Max(),
            traps,
            new CountersReport(c.Sum(x => x.Reflections), c.Sum(x => x.PrivilegedEmulations), c.Sum(x => x.TlbWritesIntercepted), c.Sum(x => x.L2TlbHits),
                c.Sum(x => x.MpnsAllocated), c.Sum(x => x.MachineSwitches), c.Sum(x => x.DeviceEmulations), c.Sum(x => x.GuestContextSwitches))
            {
                L2GuestRefills = c.Sum(x => x.L2GuestRefills),
                L2GuestInstructionsSaved = c.Sum(x => x.L2GuestInstructionsSaved),
            },
            mechanisms,
            [],
            null);
    }

    private static double Percent(long part, long whole) => whole > 0 ? 100.0 * part / whole : 0;
}
