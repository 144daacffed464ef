using System.Collections.Immutable;
using System.Runtime.InteropServices;
using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// A vCPU's traps counted by kind. Counting happens on every trap, so it is keyed by an
/// integer taken from the request (a privileged instruction by its decoded
/// <see cref="PrivilegedOp"/>); the names of the report ("mtc0", "TLB miss") are
/// <see cref="TrapNames"/>', made only when the statistics are asked for.
/// </summary>
public sealed class TrapTally
{
    private const int InterruptKey = 1;
    private const int DeviceAccessKey = 2;
    private const int TlbRefillKey = 3;
    private const int MonitorCallKey = 0x800;
    private const int GuestTlbKey = 0x100;
    private const int ExceptionKey = 0x200;
    private const int PrivilegedKey = 0x400;

    // Per key, the first trap of it (every trap of a key has the same name) and the count.
    private readonly Dictionary<int, (TrapKind Kind, GuestException First, long Count)> _counts = new();

    public long Total { get; private set; }

    public void Count(TrapRequest request)
    {
        var e = request.Exception;
        int key = request.Kind switch
        {
            TrapKind.Interrupt => InterruptKey,
            TrapKind.DeviceAccess => DeviceAccessKey,
            TrapKind.GuestTlb => e.IsTlbRefill ? TlbRefillKey : GuestTlbKey | (int)e.Code,
            TrapKind.MonitorCall => MonitorCallKey | (int)(request.MonitorCall?.Call ?? 0),
            _ when e.Code == ExcCode.CpU && e.CoprocessorUnit == 0 => PrivilegedKey | (int)PrivilegedInstruction.Decode(e.Instruction).Op,
            _ => ExceptionKey | (int)e.Code,
        };
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, key, out bool exists);
        if (!exists)
        {
            slot = (request.Kind, e, 0);
        }

        slot.Count++;
        Total++;
    }

    public ImmutableArray<TrapCount> Capture() =>
        _counts.OrderBy(kv => kv.Key).Select(kv => new TrapCount(kv.Key, kv.Value.Kind, kv.Value.First, kv.Value.Count)).ToImmutableArray();

    public void Restore(ImmutableArray<TrapCount> counts)
    {
        _counts.Clear();
        Total = 0;
        foreach (var c in counts)
        {
            _counts[c.Key] = (c.Kind, c.First, c.Count);
            Total += c.Count;
        }
    }

    public ImmutableDictionary<string, long> ByName()
    {
        var byName = new Dictionary<string, long>();
        foreach (var (kind, e, count) in _counts.Values)
        {
            string name = TrapNames.Of(kind, e.Code, e.IsTlbRefill, e.CoprocessorUnit, e.Instruction);
            byName[name] = byName.GetValueOrDefault(name) + count;
        }

        return byName.ToImmutableDictionary();
    }
}
