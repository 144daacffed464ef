namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// Every complete flow of the seed's figures in a trace: from a user process's system call or
/// TLB miss (<see cref="TraceAnalysis.Starts"/>) to the return that resumes it, as
/// <see cref="TraceAnalysis.Flow"/> delimits one: the flow ends with the <c>Resumed</c> after
/// the ERET to user mode, or just before the next trap when the resumed instruction faults
/// at once. Scheduling records inside a flow are not part of it.
/// </summary>
public static class TraceFlows
{
    public static IEnumerable<FlowSpan> Of(TraceSet trace, Func<TraceRecord, bool>? keep = null)
    {
        var open = new Dictionary<(int Node, int Vm, int Vcpu), Open>();
        var ordinals = new Dictionary<(int, int, FlowKind), int>();
        foreach (var (node, r) in trace.Merged(keep))
        {
            if (r.Kind is TraceKind.Dispatch or TraceKind.Yield or TraceKind.MachineSwitch or TraceKind.EpochStart || r.Vm == 0)
            {
                continue;
            }

            var key = (node, (int)r.Vm, (int)r.Vcpu);
            bool trap = r.Kind == TraceKind.Trap;
            if (open.TryGetValue(key, out var flow))
            {
                if (flow.Returned && trap)
                {
                    open.Remove(key);
                    yield return flow.Span(node, r.Vm, r.Vcpu);
                }
                else
                {
                    flow.Add(r);
                    if (TraceEvents.Is<ReturnFromTrapEvent>(r, out var ret) && ret.Mode == Cpu.PrivilegeMode.User)
                    {
                        flow.Returned = true;
                    }
                    else if (flow.Returned && r.Kind == TraceKind.Resumed)
                    {
                        open.Remove(key);
                        yield return flow.Span(node, r.Vm, r.Vcpu);
                    }

                    continue;
                }
            }

            if (trap)
            {
                foreach (var kind in (ReadOnlySpan<FlowKind>)[FlowKind.Syscall, FlowKind.TlbMiss])
                {
                    if (TraceAnalysis.Starts(r, kind))
                    {
                        var ordinalKey = (node, (int)r.Vm, kind);
                        int ordinal = ordinals[ordinalKey] = ordinals.GetValueOrDefault(ordinalKey) + 1;
                        var started = new Open(kind, ordinal, r);
                        open[key] = started;
                        break;
                    }
                }
            }
        }
    }

    private sealed class Open(FlowKind kind, int ordinal, TraceRecord first)
    {
        private readonly TraceRecord _first = first;
        private TraceRecord _last = first;
        private int _records = 1;
        private int _traps = 1;

        public bool Returned { get; set; }

        public void Add(in TraceRecord r)
        {
            _last = r;
            _records++;
            if (r.Kind == TraceKind.Trap)
            {
                _traps++;
            }
        }

        public FlowSpan Span(int node, int vm, int vcpu) => new(node, vm, vcpu, kind, ordinal, _first, _last, _records, _traps);
    }
}

/// <summary>One flow: its first and last records, how many records and traps it holds.</summary>
/// <param name="Ordinal">The flow's number among the VM's flows of its kind, from 1 (as <c>trace flow --syscall K</c> counts).</param>
public sealed record FlowSpan(int Node, int Vm, int Vcpu, FlowKind Kind, int Ordinal, TraceRecord First, TraceRecord Last, int Records, int Traps)
{
    public long Nanoseconds => Last.Nanoseconds - First.Nanoseconds;

    /// <summary>Both ends' times were read from the clock.</summary>
    public bool ExactNanoseconds => !First.Interpolated && !Last.Interpolated;

    public long? Cycles => First.Cycle == TraceRecord.NoCycle || Last.Cycle == TraceRecord.NoCycle ? null : Last.Cycle - First.Cycle;
}
