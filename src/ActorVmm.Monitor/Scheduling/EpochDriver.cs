using System.Collections.Immutable;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Monitor;

/// <summary>
/// Global simulated time, without actors: physical CPUs advance in lock-step epochs; between
/// epochs, and only then, vCPUs are placed and balanced (<see cref="LoadBalancer"/>) from
/// simulated-time facts, so a scenario produces the same schedule on every run.
/// </summary>
public sealed class EpochDriver(int pcpus, long epochLength, bool loadBalancing, bool affinity, TraceRecorder trace)
{
    private readonly Dictionary<VcpuKey, VcpuSlot> _slots = new();
    private readonly Dictionary<VcpuKey, int> _placement = new();
    private readonly Dictionary<int, PhysicalCpuResult> _replies = new();

    public int PhysicalCpus => pcpus;

    public long Epochs { get; private set; }

    /// <summary>The simulated cycle the current (or last) epoch runs to.</summary>
    public long EpochEnd { get; private set; }

    /// <summary>An epoch has started and not every physical CPU has finished it.</summary>
    public bool InFlight { get; private set; }

    public IReadOnlyDictionary<VcpuKey, VcpuSlot> Slots => _slots;

    public bool AllHalted => _slots.Values.All(s => s.State == VcpuRunState.Halted);

    /// <summary>Each physical CPU at the end of the last complete epoch, by id.</summary>
    public IReadOnlyList<PhysicalCpuResult> LastEpoch { get; private set; } = [];

    /// <summary>A new vCPU, runnable, placed on a physical CPU by its VM and index.</summary>
    public void Add(VcpuKey key)
    {
        _slots[key] = VcpuSlot.Runnable(key);
        _placement[key] = (key.Vm - 1 + key.Vcpu) % pcpus;
    }

    /// <summary>Start the next epoch: balance, then each physical CPU's vCPUs in VM order.</summary>
    public IReadOnlyList<ImmutableArray<VcpuSlot>> Start()
    {
        InFlight = true;
        Epochs++;
        EpochEnd += epochLength;
        if (loadBalancing)
        {
            LoadBalancer.Rebalance(_slots, _placement, pcpus, affinity, Epochs);
        }

        trace.Record(0, 0, 0, EpochEnd - epochLength, 0, new EpochStartEvent(EpochEnd));
        var perCpu = new ImmutableArray<VcpuSlot>[pcpus];
        for (int p = 0; p < pcpus; p++)
        {
            perCpu[p] = _slots.Values
                .Where(s => s.State != VcpuRunState.Halted && _placement[s.Key] == p)
                .OrderBy(s => s.Key.Vm).ThenBy(s => s.Key.Vcpu)
                .ToImmutableArray();
        }

        return perCpu;
    }

    /// <summary>A physical CPU finished the epoch. Returns true once every one has.</summary>
    public bool Done(int pcpu, long clock, ImmutableArray<VcpuSlot> slots, PhysicalCpuCounters counters)
    {
        _replies[pcpu] = new PhysicalCpuResult(pcpu, clock, counters);
        foreach (var slot in slots)
        {
            _slots[slot.Key] = slot;
        }

        if (_replies.Count < pcpus)
        {
            return false;
        }

        LastEpoch = _replies.Values.OrderBy(r => r.Id).ToList();
        _replies.Clear();
        InFlight = false;
        return true;
    }
}
