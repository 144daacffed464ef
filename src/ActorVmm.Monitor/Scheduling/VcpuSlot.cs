namespace ActorVmm.Monitor;

/// <summary>A vCPU as a physical CPU schedules it: runnable, waiting for an interrupt until WakeAt, or halted.</summary>
/// <param name="LastPcpu">The physical CPU it last ran on, or -1.</param>
/// <param name="HaltedAt">The simulated cycle at which it halted (its physical CPU's clock), once halted.</param>
public sealed record VcpuSlot(VcpuKey Key, VcpuRunState State, long WakeAt, int LastPcpu, long BusyCyclesLastEpoch, long HaltedAt = 0)
{
    public static VcpuSlot Runnable(VcpuKey key) => new(key, VcpuRunState.Runnable, 0, -1, 0);
}

public enum VcpuRunState : byte
{
    Runnable,
    Idle,
    Halted,
}
