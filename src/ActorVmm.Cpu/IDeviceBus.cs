namespace ActorVmm.Cpu;

/// <summary>
/// Physical addresses outside RAM. Called on the slow path only, never for RAM.
/// Returning false signals a bus error to the CPU.
/// </summary>
public interface IDeviceBus
{
    bool Read(ulong physicalAddress, int size, out uint value);

    bool Write(ulong physicalAddress, int size, uint value);
}
