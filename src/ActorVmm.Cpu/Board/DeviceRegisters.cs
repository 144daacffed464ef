namespace ActorVmm.Cpu.Board;

/// <summary>
/// The register semantics of the device page, shared by the bare board and the monitor's
/// emulation so that a guest cannot tell them apart.
/// </summary>
public sealed class DeviceRegisters
{
    private readonly IConsoleSink _console;
    private readonly Queue<byte> _input = new();

    public DeviceRegisters(uint memorySize, uint cpuCount, IConsoleSink console)
    {
        MemorySize = memorySize;
        CpuCount = cpuCount;
        _console = console;
    }

    public uint MemorySize { get; }

    public uint CpuCount { get; }

    public bool PoweredOff { get; private set; }

    public int ExitStatus { get; private set; }

    /// <summary>Console input not yet read by the guest.</summary>
    public byte[] PendingInput => [.. _input];

    /// <summary>Continue from a captured state: input not yet read, and whether the machine was powered off.</summary>
    public void Restore(ReadOnlySpan<byte> pendingInput, bool poweredOff, int exitStatus)
    {
        _input.Clear();
        EnqueueInput(pendingInput);
        PoweredOff = poweredOff;
        ExitStatus = exitStatus;
    }

    public void EnqueueInput(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            _input.Enqueue(b);
        }
    }

    public uint Read(uint offset) => (offset & ~3u) switch
    {
        DeviceMap.UartRx => _input.TryDequeue(out byte b) ? b : DeviceMap.UartRxEmpty,
        DeviceMap.UartStatus => DeviceMap.UartStatusTxReady | (_input.Count > 0 ? DeviceMap.UartStatusRxAvailable : 0),
        DeviceMap.SysMemSize => MemorySize,
        DeviceMap.SysNCpus => CpuCount,
        _ => 0,
    };

    /// <summary>Returns true when the write powered the machine off.</summary>
    public bool Write(uint offset, uint value)
    {
        switch (offset & ~3u)
        {
            case DeviceMap.UartTx:
                _console.Write((byte)value);
                return false;
            case DeviceMap.SysPowerOff:
                PoweredOff = true;
                ExitStatus = (int)value;
                return true;
            default:
                return false;
        }
    }
}
