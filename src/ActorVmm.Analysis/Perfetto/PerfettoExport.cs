using System.Globalization;
using System.Text.Json;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Analysis;

/// <summary>
/// A trace as Chrome/Perfetto JSON trace events (open it at ui.perfetto.dev): one process per
/// node; a track per physical CPU (the quanta it ran, named by VM, and machine switches), per
/// vCPU (its quanta, and inside them a slice per trap from the trap to the router's decision),
/// per VM's trap router (a slice per decision) and for the node's memory manager (a slice per
/// map request, to its reply). Flow arrows go from each trap to its decision and from each
/// intercepted TLB write (or L2 refill) to its map request; instants mark the kinds in
/// <see cref="Instants"/>. Time is wall clock (microseconds since the run's start) or
/// simulated cycles (shown as nanoseconds: one nanosecond on the axis is one cycle).
/// </summary>
public sealed class PerfettoExport
{
    /// <summary>
    /// The kinds shown as instant events, and on which track: adding one (a migration, a
    /// checkpoint, a fault) is one line; its name is the event's own description.
    /// </summary>
    public static readonly IReadOnlyDictionary<TraceKind, TrackKind> Instants = new Dictionary<TraceKind, TrackKind>
    {
        [TraceKind.MachineSwitch] = TrackKind.PhysicalCpu,
        [TraceKind.EpochStart] = TrackKind.Monitor,
        [TraceKind.VmStarted] = TrackKind.Vcpu,
        [TraceKind.VmPoweredOff] = TrackKind.Vcpu,
        [TraceKind.VmCrashed] = TrackKind.Vcpu,
        [TraceKind.L2TlbRefill] = TrackKind.Vcpu,
        [TraceKind.HandlersRecorded] = TrackKind.Router,
        [TraceKind.ConsoleOutput] = TrackKind.Router,
        [TraceKind.MemoryReleased] = TrackKind.MemoryManager,
    };

    private readonly TraceSet _trace;
    private readonly TraceFilter _filter;
    private readonly Utf8JsonWriter _json;
    private readonly long _origin;
    private readonly HashSet<PerfettoTrack> _tracks = new();
    private readonly Dictionary<(int Node, int Vm, int Vcpu), Quantum> _quanta = new();
    private readonly Dictionary<(int Node, int Vm, int Vcpu), PendingTrap> _traps = new();
    private readonly Dictionary<(int Node, int Vm, uint Ppn), Queue<PendingMap>> _maps = new();
    private readonly Dictionary<(int Node, int Vm), double> _lastCycle = new();
    private readonly Dictionary<(int Node, int Vm), double> _pendingTlbWrite = new();
    private long _nextFlow;

    private PerfettoExport(TraceSet trace, TraceFilter filter, Utf8JsonWriter json)
    {
        _trace = trace;
        _filter = filter;
        _json = json;
        _origin = trace.StartNanoseconds;
    }

    /// <summary>Events written (slices, instants, flow ends; metadata not counted).</summary>
    public long Events { get; private set; }

    public static long Write(TraceSet trace, Stream output, TraceFilter? filter = null)
    {
        filter ??= TraceFilter.All;
        using var json = new Utf8JsonWriter(output);
        var export = new PerfettoExport(trace, filter, json);
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartObject("otherData");
        json.WriteString("scenario", trace.Files[0].Metadata.Scenario);
        json.WriteString("nodes", string.Join(", ", trace.Nodes));
        json.WriteString("timeAxis", filter.Axis == TimeAxis.Wall ? "wall clock, microseconds since the run started" : "simulated cycles (1 ns on the axis = 1 cycle)");
        json.WriteEndObject();
        json.WriteStartArray("traceEvents");
        foreach (var nr in trace.Merged(filter.Predicate(trace.StartNanoseconds)))
        {
            export.Add(nr.Node, nr.Record);
        }

        export.Finish();
        json.WriteEndArray();
        json.WriteEndObject();
        return export.Events;
    }

    private void Add(int node, in TraceRecord r)
    {
        double at = Time(node, r);
        var vcpuKey = (node, (int)r.Vm, (int)r.Vcpu);
        var vcpuTrack = new PerfettoTrack(node, TrackKind.Vcpu, r.Vm, r.Vcpu);
        switch (r.Kind)
        {
            case TraceKind.Dispatch:
                _quanta[vcpuKey] = new Quantum(at, r.Pcpu, TraceEvents.As<DispatchEvent>(r), new List<Slice>());
                break;
            case TraceKind.Yield:
                if (_quanta.Remove(vcpuKey, out var q))
                {
                    var y = TraceEvents.As<YieldEvent>(r);
                    double end = Math.Max(at, q.Start);
                    var args = new (string, object)[] { ("reason", y.Reason.ToString()), ("cycles used", y.CyclesUsed), ("budget", q.Dispatch.Budget), ("after machine switch", q.Dispatch.MachineSwitch) };
                    Complete(new PerfettoTrack(node, TrackKind.PhysicalCpu, Index: q.Pcpu), $"{_trace.NameOf(node, r.Vm)} (vm{r.Vm})", "quantum", q.Start, end, args);
                    Complete(vcpuTrack, "run", "quantum", q.Start, end, args);
                    foreach (var s in q.Traps)
                    {
                        // Times interpolated on another thread may stray a little past the quantum: keep the nesting.
                        double from = Math.Clamp(s.Start, q.Start, end);
                        Complete(s.Track, s.Name, s.Category, from, Math.Clamp(s.End, from, end), s.Args);
                    }
                }

                break;
            case TraceKind.Trap:
                var trap = TraceEvents.As<TrapEvent>(r);
                _traps[vcpuKey] = new PendingTrap(at, trap.Name, r.GuestPc, r.Sequence, !r.Interpolated);
                break;
            case var k when TraceEvents.IsDecision(k):
                if (_traps.Remove(vcpuKey, out var t))
                {
                    string decision = TraceEvents.Describe(r);
                    var slice = new Slice(vcpuTrack, t.Name, "trap", t.Start, Math.Max(at, t.Start),
                        [("pc", $"0x{t.Pc:X8}"), ("decision", decision), ("sequence", t.Sequence), ("exact times", t.Exact && !r.Interpolated)]);
                    if (_quanta.TryGetValue(vcpuKey, out var open))
                    {
                        open.Traps.Add(slice);
                    }
                    else
                    {
                        Complete(slice.Track, slice.Name, slice.Category, slice.Start, slice.End, slice.Args);
                    }

                    var router = new PerfettoTrack(node, TrackKind.Router, r.Vm);
                    Complete(router, DecisionName(r), "decision", t.Start, Math.Max(at, t.Start), [("trap", t.Name), ("decision", decision)]);
                    long id = ++_nextFlow;
                    Flow("s", vcpuTrack, "trap → decision", id, t.Start);
                    Flow("f", router, "trap → decision", id, t.Start);
                }

                break;
            case TraceKind.TlbWriteIntercepted:
                _pendingTlbWrite[(node, r.Vm)] = at;
                break;
            case TraceKind.MapRequest:
            {
                var request = TraceEvents.As<MapRequestEvent>(r);
                var from = request.Purpose == MapPurpose.TlbWrite ? new PerfettoTrack(node, TrackKind.Router, r.Vm) : vcpuTrack;
                double start = request.Purpose == MapPurpose.TlbWrite && _pendingTlbWrite.TryGetValue((node, r.Vm), out var w) ? w : at;
                long id = ++_nextFlow;
                Flow("s", from, request.Purpose == MapPurpose.TlbWrite ? "TLB write → map" : "L2 refill → map", id, start);
                var key = (node, (int)r.Vm, request.Ppn);
                (_maps.TryGetValue(key, out var queue) ? queue : _maps[key] = new Queue<PendingMap>()).Enqueue(new PendingMap(at, id, request));
                break;
            }

            case TraceKind.MapReply:
            {
                var reply = TraceEvents.As<MapReplyEvent>(r);
                if (_maps.TryGetValue((node, r.Vm, reply.Ppn), out var queue) && queue.TryDequeue(out var pending))
                {
                    var mm = new PerfettoTrack(node, TrackKind.MemoryManager);
                    double end = Math.Max(at, pending.Start);
                    Complete(mm, $"map PPN 0x{reply.Ppn:X} (vm{r.Vm})", "memory", pending.Start, end,
                        [("request", pending.Request.Describe()), ("reply", reply.Describe())]);
                    Flow("f", mm, pending.Request.Purpose == MapPurpose.TlbWrite ? "TLB write → map" : "L2 refill → map", pending.Flow, pending.Start);
                }

                break;
            }
        }

        if (Instants.TryGetValue(r.Kind, out var where))
        {
            var track = where switch
            {
                TrackKind.Monitor => new PerfettoTrack(node, TrackKind.Monitor),
                TrackKind.PhysicalCpu => new PerfettoTrack(node, TrackKind.PhysicalCpu, Index: r.Pcpu),
                TrackKind.Router => new PerfettoTrack(node, TrackKind.Router, r.Vm),
                TrackKind.MemoryManager => new PerfettoTrack(node, TrackKind.MemoryManager),
                _ => vcpuTrack,
            };
            Instant(track, TraceEvents.Describe(r), r.Kind.ToString(), at, r.Sequence);
        }
    }

    private static string DecisionName(in TraceRecord r) => r.Kind switch
    {
        TraceKind.Emulate => $"Emulate({TraceEvents.As<EmulateEvent>(r).Op})",
        TraceKind.Reflect => $"Reflect({TraceEvents.As<ReflectEvent>(r).Code})",
        TraceKind.ReturnFromTrap => "ReturnFromTrap",
        TraceKind.DeviceEmulated => TraceEvents.As<DeviceEmulatedEvent>(r).Store ? "DeviceWrite" : "DeviceRead",
        _ => r.Kind.ToString(),
    };

    /// <summary>The record's place on the axis, in the JSON's microseconds.</summary>
    private double Time(int node, in TraceRecord r)
    {
        if (_filter.Axis == TimeAxis.Wall)
        {
            return (r.Nanoseconds - _origin) / 1e3;
        }

        // One cycle shows as one nanosecond. A record made where simulated time is unknown
        // (the memory manager, a VM's end) sits at its VM's last known cycle.
        var key = (node, (int)r.Vm);
        if (r.Cycle == TraceRecord.NoCycle)
        {
            return _lastCycle.GetValueOrDefault(key);
        }

        double at = r.Cycle / 1e3;
        _lastCycle[key] = at;
        return at;
    }

    private void Complete(PerfettoTrack track, string name, string category, double start, double end, (string Key, object Value)[] args)
    {
        _tracks.Add(track);
        Events++;
        _json.WriteStartObject();
        _json.WriteString("ph", "X");
        _json.WriteString("name", name);
        _json.WriteString("cat", category);
        _json.WriteNumber("pid", track.Pid);
        _json.WriteNumber("tid", track.Tid);
        _json.WriteNumber("ts", Math.Round(start, 3));
        _json.WriteNumber("dur", Math.Round(end - start, 3));
        Args(args);
        _json.WriteEndObject();
    }

    private void Instant(PerfettoTrack track, string name, string category, double at, long sequence)
    {
        _tracks.Add(track);
        Events++;
        _json.WriteStartObject();
        _json.WriteString("ph", "i");
        _json.WriteString("s", "t");
        _json.WriteString("name", name);
        _json.WriteString("cat", category);
        _json.WriteNumber("pid", track.Pid);
        _json.WriteNumber("tid", track.Tid);
        _json.WriteNumber("ts", Math.Round(at, 3));
        Args([("sequence", sequence)]);
        _json.WriteEndObject();
    }

    /// <summary>One end of a flow arrow; each end binds to the slice that encloses it on its track.</summary>
    private void Flow(string phase, PerfettoTrack track, string name, long id, double at)
    {
        _tracks.Add(track);
        Events++;
        _json.WriteStartObject();
        _json.WriteString("ph", phase);
        _json.WriteString("name", name);
        _json.WriteString("cat", "flow");
        _json.WriteNumber("id", id);
        _json.WriteNumber("pid", track.Pid);
        _json.WriteNumber("tid", track.Tid);
        _json.WriteNumber("ts", Math.Round(at, 3));
        _json.WriteString("bp", "e");
        _json.WriteEndObject();
    }

    private void Args((string Key, object Value)[] args)
    {
        _json.WriteStartObject("args");
        foreach (var (key, value) in args)
        {
            switch (value)
            {
                case bool b:
                    _json.WriteBoolean(key, b);
                    break;
                case long l:
                    _json.WriteNumber(key, l);
                    break;
                case int i:
                    _json.WriteNumber(key, i);
                    break;
                default:
                    _json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        _json.WriteEndObject();
    }

    /// <summary>Quanta still open at the end, and the names and order of processes and tracks.</summary>
    private void Finish()
    {
        foreach (var ((node, vm, vcpu), q) in _quanta)
        {
            foreach (var s in q.Traps)
            {
                Complete(s.Track, s.Name, s.Category, s.Start, s.End, s.Args);
            }
        }

        foreach (int node in _tracks.Select(t => t.Node).Distinct())
        {
            Metadata("process_name", node + 1, 0, ("name", $"{_trace.Nodes[node]} ({_trace.Files[node].Metadata.Scenario})"));
            Metadata("process_sort_index", node + 1, 0, ("sort_index", node));
        }

        foreach (var track in _tracks)
        {
            string name = track.Kind switch
            {
                TrackKind.Monitor => "monitor: epochs",
                TrackKind.PhysicalCpu => $"physical CPU {track.Index}",
                TrackKind.Vcpu => $"vm{track.Vm} {_trace.NameOf(track.Node, track.Vm)}: vCPU {track.Index}",
                TrackKind.Router => $"vm{track.Vm} {_trace.NameOf(track.Node, track.Vm)}: trap router",
                _ => "memory manager",
            };
            Metadata("thread_name", track.Pid, track.Tid, ("name", name));
            Metadata("thread_sort_index", track.Pid, track.Tid, ("sort_index", track.Tid));
        }
    }

    private void Metadata(string name, int pid, int tid, (string Key, object Value) arg)
    {
        _json.WriteStartObject();
        _json.WriteString("ph", "M");
        _json.WriteString("name", name);
        _json.WriteNumber("pid", pid);
        _json.WriteNumber("tid", tid);
        Args([arg]);
        _json.WriteEndObject();
    }

    private sealed record Quantum(double Start, int Pcpu, DispatchEvent Dispatch, List<Slice> Traps);

    private sealed record Slice(PerfettoTrack Track, string Name, string Category, double Start, double End, (string, object)[] Args);

    private readonly record struct PendingTrap(double Start, string Name, uint Pc, long Sequence, bool Exact);

    private readonly record struct PendingMap(double Start, long Flow, MapRequestEvent Request);
}
