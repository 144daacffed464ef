namespace ActorVmm.Cpu;

/// <summary>
/// Physical addresses outside RAM. Called on the slow path only, never for RAM.
/// </summary>
public interface IDeviceBus
{
    /// <summary>False signals a bus error to the CPU.</summary>
    bool Read(ulong physicalAddress, int size, out uint value);

    BusWrite Write(ulong physicalAddress, int size, uint value);
}

/// <summary>What a device made of a store.</summary>
public enum BusWrite : byte
{
    Done,

    /// <summary>No device there: a bus error.</summary>
    Error,

    /// <summary>Done, and the CPU must stop after this instruction (power-off).</summary>
    StopCpu,
}
