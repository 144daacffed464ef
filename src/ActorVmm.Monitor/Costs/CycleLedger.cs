namespace ActorVmm.Monitor;

/// <summary>Simulated cycles and event counts by mechanism, for one vCPU (or summed over many).</summary>
public sealed class CycleLedger
{
    private readonly long[] _cycles = new long[Enum.GetValues<Mechanism>().Length];
    private readonly long[] _events = new long[Enum.GetValues<Mechanism>().Length];

    public long MonitorCycles { get; private set; }

    public void Charge(Mechanism mechanism, long cycles)
    {
        _cycles[(int)mechanism] += cycles;
        _events[(int)mechanism]++;
        MonitorCycles += cycles;
    }

    public long CyclesOf(Mechanism mechanism) => _cycles[(int)mechanism];

    public long EventsOf(Mechanism mechanism) => _events[(int)mechanism];

    public void Add(CycleLedger other)
    {
        for (int i = 0; i < _cycles.Length; i++)
        {
            _cycles[i] += other._cycles[i];
            _events[i] += other._events[i];
        }

        MonitorCycles += other.MonitorCycles;
    }

    public LedgerSnapshot Snapshot() => new(_cycles.ToArray(), _events.ToArray());

    /// <summary>Continue from a snapshot (a restored vCPU).</summary>
    public void Restore(LedgerSnapshot snapshot)
    {
        snapshot.Cycles.AsSpan(0, Math.Min(snapshot.Cycles.Length, _cycles.Length)).CopyTo(_cycles);
        snapshot.Events.AsSpan(0, Math.Min(snapshot.Events.Length, _events.Length)).CopyTo(_events);
        MonitorCycles = _cycles.Sum();
    }
}

/// <summary>An immutable copy of a ledger, indexed by <see cref="Mechanism"/>.</summary>
public sealed record LedgerSnapshot(long[] Cycles, long[] Events)
{
    public long CyclesOf(Mechanism m) => Cycles[(int)m];

    public long EventsOf(Mechanism m) => Events[(int)m];

    public long Total => Cycles.Sum();
}
