namespace ActorVmm.Cpu.Board;

/// <summary>
/// The bare board's devices (console UART and system controller) on the CPU's bus. The
/// monitor emulates the same <see cref="DeviceRegisters"/> for each VM.
/// </summary>
public sealed class DevicePage(DeviceRegisters registers) : IDeviceBus
{
    public bool Read(ulong physicalAddress, int size, out uint value)
    {
        value = 0;
        if (!DeviceMap.Contains(physicalAddress))
        {
            return false;
        }

        value = registers.Read((uint)(physicalAddress - DeviceMap.PhysicalBase));
        return true;
    }

    public BusWrite Write(ulong physicalAddress, int size, uint value)
    {
        if (!DeviceMap.Contains(physicalAddress))
        {
            return BusWrite.Error;
        }

        return registers.Write((uint)(physicalAddress - DeviceMap.PhysicalBase), value) ? BusWrite.StopCpu : BusWrite.Done;
    }
}
