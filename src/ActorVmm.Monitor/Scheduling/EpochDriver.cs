using System.Collections.Immutable;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Monitor;

/// <summary>
/// Global simulated time, without actors: physical CPUs advance in lock-step epochs; between
/// epochs, and only then, vCPUs are placed and balanced (<see cref="LoadBalancer"/>) from
/// simulated-time facts, so a scenario produces the same schedule on every run. The physical
/// CPUs belong to nodes (a one-node run has one); a vCPU runs only on a CPU of the node its
/// VM is on, and balancing happens within each node (moving between nodes is migration).
/// </summary>
public sealed class EpochDriver
{
    private readonly long _epochLength;
    private readonly bool _loadBalancing;
    private readonly bool _affinity;
    private readonly TraceRecorder _trace;
    private readonly int[] _firstPcpu;
    private readonly int[] _pcpusOf;
    private readonly bool[] _active;
    private readonly Dictionary<VcpuKey, VcpuSlot> _slots = new();
    private readonly Dictionary<VcpuKey, int> _placement = new();
    private readonly Dictionary<VcpuKey, int> _nodeOf = new();
    private readonly Dictionary<int, PhysicalCpuResult> _replies = new();
    private long[] _busyAtLastEpoch;
    private long[] _busyLastEpoch;

    /// <param name="pcpusPerNode">Each node's physical CPUs; the CPUs are numbered node after node.</param>
    public EpochDriver(IReadOnlyList<int> pcpusPerNode, long epochLength, bool loadBalancing, bool affinity, TraceRecorder trace)
    {
        _epochLength = epochLength;
        _loadBalancing = loadBalancing;
        _affinity = affinity;
        _trace = trace;
        _pcpusOf = [.. pcpusPerNode];
        _firstPcpu = new int[_pcpusOf.Length];
        for (int n = 1; n < _pcpusOf.Length; n++)
        {
            _firstPcpu[n] = _firstPcpu[n - 1] + _pcpusOf[n - 1];
        }

        PhysicalCpus = _pcpusOf.Sum();
        _active = Enumerable.Repeat(true, _pcpusOf.Length).ToArray();
        _busyAtLastEpoch = new long[PhysicalCpus];
        _busyLastEpoch = new long[PhysicalCpus];
    }

    /// <summary>One node of <paramref name="pcpus"/> physical CPUs.</summary>
    public EpochDriver(int pcpus, long epochLength, bool loadBalancing, bool affinity, TraceRecorder trace)
        : this([pcpus], epochLength, loadBalancing, affinity, trace)
    {
    }

    public int PhysicalCpus { get; }

    public int Nodes => _pcpusOf.Length;

    public long EpochLength => _epochLength;

    public long Epochs { get; private set; }

    /// <summary>The simulated cycle the current (or last) epoch runs to.</summary>
    public long EpochEnd { get; private set; }

    /// <summary>An epoch has started and not every physical CPU has finished it.</summary>
    public bool InFlight { get; private set; }

    public IReadOnlyDictionary<VcpuKey, VcpuSlot> Slots => _slots;

    public bool AllHalted => _slots.Values.All(s => s.State == VcpuRunState.Halted);

    /// <summary>Each physical CPU at the end of the last complete epoch, by id (a node that left keeps its last figures).</summary>
    public IReadOnlyList<PhysicalCpuResult> LastEpoch { get; private set; } = [];

    /// <summary>The node a physical CPU belongs to.</summary>
    public int NodeOfPcpu(int pcpu) => Array.FindLastIndex(_firstPcpu, first => first <= pcpu);

    /// <summary>The first physical CPU of a node, and how many it has.</summary>
    public (int First, int Count) PcpusOf(int node) => (_firstPcpu[node], _pcpusOf[node]);

    public int NodeOf(VcpuKey key) => _nodeOf[key];

    /// <summary>Whether the node's CPUs still take part (a node that left does not).</summary>
    public bool IsActive(int node) => _active[node];

    /// <summary>Cycles the node's physical CPUs were busy in the last epoch, summed.</summary>
    public long NodeBusyLastEpoch(int node)
    {
        long sum = 0;
        for (int p = _firstPcpu[node]; p < _firstPcpu[node] + _pcpusOf[node]; p++)
        {
            sum += _busyLastEpoch[p];
        }

        return sum;
    }

    /// <summary>A new vCPU, runnable, on <paramref name="node"/>: placed on its CPUs by its VM and index.</summary>
    public void Add(VcpuKey key, int node = 0)
    {
        _slots[key] = VcpuSlot.Runnable(key);
        Place(key, node);
    }

    /// <summary>A vCPU whose VM moved to <paramref name="node"/> (between epochs): it starts there cold, on a CPU of that node.</summary>
    public void Move(VcpuKey key, int node)
    {
        var slot = _slots[key];
        _slots[key] = slot with { LastPcpu = -1, BusyCyclesLastEpoch = 0 };
        Place(key, node);
    }

    /// <summary>A vCPU that is gone without halting itself (its VM was lost): it is no longer scheduled.</summary>
    public void Halt(VcpuKey key) => _slots[key] = _slots[key] with { State = VcpuRunState.Halted };

    /// <summary>A node that left: its CPUs take no part in later epochs (its vCPUs must have moved off it).</summary>
    public void Retire(int node) => _active[node] = false;

    private void Place(VcpuKey key, int node)
    {
        _nodeOf[key] = node;
        _placement[key] = _firstPcpu[node] + ((key.Vm - 1 + key.Vcpu) % _pcpusOf[node]);
    }

    /// <summary>Start the next epoch: balance within each node, then each active physical CPU's vCPUs in VM order (an inactive CPU's list is empty).</summary>
    public IReadOnlyList<ImmutableArray<VcpuSlot>> Start()
    {
        InFlight = true;
        Epochs++;
        EpochEnd += _epochLength;
        if (_loadBalancing)
        {
            for (int node = 0; node < _pcpusOf.Length; node++)
            {
                BalanceWithin(node);
            }
        }

        _trace.Record(0, 0, 0, EpochEnd - _epochLength, 0, new EpochStartEvent(EpochEnd));
        var perCpu = new ImmutableArray<VcpuSlot>[PhysicalCpus];
        for (int p = 0; p < PhysicalCpus; p++)
        {
            perCpu[p] = _slots.Values
                .Where(s => s.State != VcpuRunState.Halted && _placement[s.Key] == p)
                .OrderBy(s => s.Key.Vm).ThenBy(s => s.Key.Vcpu)
                .ToImmutableArray();
        }

        return perCpu;
    }

    /// <summary>The physical CPUs that take part in epochs (those of nodes that have not left).</summary>
    public IEnumerable<int> ActivePcpus() =>
        Enumerable.Range(0, PhysicalCpus).Where(p => _active[NodeOfPcpu(p)]);

    /// <summary>A physical CPU finished the epoch. Returns true once every active one has.</summary>
    public bool Done(int pcpu, long clock, ImmutableArray<VcpuSlot> slots, PhysicalCpuCounters counters)
    {
        _replies[pcpu] = new PhysicalCpuResult(pcpu, clock, counters);
        foreach (var slot in slots)
        {
            _slots[slot.Key] = slot;
        }

        if (ActivePcpus().Any(p => !_replies.ContainsKey(p)))
        {
            return false;
        }

        var previous = LastEpoch.ToDictionary(r => r.Id);
        foreach (var (id, reply) in _replies)
        {
            previous[id] = reply;
            _busyLastEpoch[id] = reply.Counters.BusyCycles - _busyAtLastEpoch[id];
            _busyAtLastEpoch[id] = reply.Counters.BusyCycles;
        }

        for (int p = 0; p < PhysicalCpus; p++)
        {
            if (!_replies.ContainsKey(p))
            {
                _busyLastEpoch[p] = 0;
            }
        }

        LastEpoch = previous.Values.OrderBy(r => r.Id).ToList();
        _replies.Clear();
        InFlight = false;
        return true;
    }

    /// <summary><see cref="LoadBalancer"/> over one node's CPUs, in that node's own numbering.</summary>
    private void BalanceWithin(int node)
    {
        int first = _firstPcpu[node];
        var keys = _nodeOf.Where(kv => kv.Value == node).Select(kv => kv.Key).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        var slots = keys.ToDictionary(k => k, k => _slots[k]);
        var local = keys.ToDictionary(k => k, k => _placement[k] - first);
        LoadBalancer.Rebalance(slots, local, _pcpusOf[node], _affinity, Epochs);
        foreach (var (key, p) in local)
        {
            _placement[key] = first + p;
        }
    }
}
