namespace ActorVmm.Monitor;

/// <summary>Cumulative counters of one physical CPU.</summary>
public sealed record PhysicalCpuCounters(long BusyCycles, long IdleCycles, long Dispatches, long MachineSwitches, long GuestInstructions);
