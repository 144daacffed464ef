namespace ActorVmm.Cpu;

/// <summary>
/// Guest instructions and monitor cycles spent in each kernel service, from the exception
/// that starts it to the ERET that ends it (nested services are inside their outer one).
/// Fed by the bare core and by a vCPU at the same points, so the two can be compared.
/// </summary>
public sealed class ServiceProfile
{
    private const int MaximumDepth = 32;
    private static readonly int Services = Enum.GetValues<Service>().Length;

    private readonly long[] _count = new long[Services];
    private readonly long[] _instructions = new long[Services];
    private readonly long[] _monitorCycles = new long[Services];
    private readonly (Service Service, uint Syscall, long Instructions, long MonitorCycles)[] _open = new (Service, uint, long, long)[MaximumDepth];
    private readonly SortedDictionary<uint, (long Count, long Instructions, long MonitorCycles)> _syscalls = new();
    private int _depth;

    public static Service Classify(in GuestException e, bool exlWasSet) => e.Code switch
    {
        ExcCode.Int => Service.Interrupt,
        ExcCode.Sys => Service.SystemCall,
        ExcCode.TlbL or ExcCode.TlbS when e.IsTlbRefill && !exlWasSet => Service.TlbRefill,
        ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod => Service.PageFault,
        _ => Service.Other,
    };

    /// <param name="syscall">For a system call, its number (v0 at the SYSCALL), so each call is profiled on its own.</param>
    public void Enter(Service service, long instructions, long monitorCycles, uint syscall = 0)
    {
        if (_depth == MaximumDepth)
        {
            // A kernel that never returns from nested exceptions: forget the oldest.
            Array.Copy(_open, 1, _open, 0, MaximumDepth - 1);
            _depth--;
        }

        _open[_depth++] = (service, syscall, instructions, monitorCycles);
    }

    /// <summary>An ERET: the innermost open service ends (an ERET with none open, such as the first entry to user mode, is not a service).</summary>
    public void Exit(long instructions, long monitorCycles)
    {
        if (_depth == 0)
        {
            return;
        }

        var (service, syscall, startInstructions, startCycles) = _open[--_depth];
        long spent = instructions - startInstructions;
        long monitor = monitorCycles - startCycles;
        _count[(int)service]++;
        _instructions[(int)service] += spent;
        _monitorCycles[(int)service] += monitor;
        if (service == Service.SystemCall)
        {
            var (c, i, m) = _syscalls.GetValueOrDefault(syscall);
            _syscalls[syscall] = (c + 1, i + spent, m + monitor);
        }
    }

    /// <summary>Everything, the services still open included, so that a restored vCPU profiles on exactly as before.</summary>
    public ServiceProfileState Capture() => new(
        Snapshot(),
        _open.Take(_depth).Select(o => new OpenService(o.Service, o.Syscall, o.Instructions, o.MonitorCycles)).ToArray());

    public void Restore(ServiceProfileState state)
    {
        state.Totals.Count.CopyTo(_count, 0);
        state.Totals.Instructions.CopyTo(_instructions, 0);
        state.Totals.MonitorCycles.CopyTo(_monitorCycles, 0);
        _syscalls.Clear();
        foreach (var call in state.Totals.Syscalls)
        {
            _syscalls[call.Number] = (call.Count, call.Instructions, call.MonitorCycles);
        }

        _depth = Math.Min(state.Open.Length, MaximumDepth);
        for (int i = 0; i < _depth; i++)
        {
            var o = state.Open[i];
            _open[i] = (o.Service, o.Syscall, o.Instructions, o.MonitorCycles);
        }
    }

    public ServiceProfileSnapshot Snapshot() => new(_count.ToArray(), _instructions.ToArray(), _monitorCycles.ToArray(),
        _syscalls.Select(kv => new SyscallProfile(kv.Key, kv.Value.Count, kv.Value.Instructions, kv.Value.MonitorCycles)).ToArray());
}

/// <summary>A profile with its open services: a service entered and not yet left.</summary>
public sealed record ServiceProfileState(ServiceProfileSnapshot Totals, OpenService[] Open);

public sealed record OpenService(Service Service, uint Syscall, long Instructions, long MonitorCycles);

/// <summary>One system call number's share of <see cref="Service.SystemCall"/>.</summary>
public sealed record SyscallProfile(uint Number, long Count, long Instructions, long MonitorCycles);

/// <summary>Per <see cref="Service"/>: how many, guest instructions inside them, monitor cycles inside them; and per system call.</summary>
public sealed record ServiceProfileSnapshot(long[] Count, long[] Instructions, long[] MonitorCycles, SyscallProfile[] Syscalls)
{
    public long CountOf(Service s) => Count[(int)s];

    public long InstructionsOf(Service s) => Instructions[(int)s];

    public long MonitorCyclesOf(Service s) => MonitorCycles[(int)s];
}
