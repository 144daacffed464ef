namespace ActorVmm.Cpu.Board;

/// <summary>The device page of docs/MACHINE.md: where it is, and its register offsets.</summary>
public static class DeviceMap
{
    public const uint PhysicalBase = 0x1F000000;
    public const uint VirtualBase = 0xDF000000;
    public const uint Size = 0x1000;

    public const uint UartTx = 0x000;
    public const uint UartRx = 0x004;
    public const uint UartStatus = 0x008;
    public const uint SysMemSize = 0x100;
    public const uint SysNCpus = 0x104;
    public const uint SysPowerOff = 0x108;

    public const uint UartStatusTxReady = 1;
    public const uint UartStatusRxAvailable = 2;
    public const uint UartRxEmpty = 0xFFFFFFFF;

    public static bool Contains(ulong physicalAddress) => physicalAddress - PhysicalBase < Size;
}
