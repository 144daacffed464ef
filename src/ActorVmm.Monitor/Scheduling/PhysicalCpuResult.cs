namespace ActorVmm.Monitor;

/// <summary>A physical CPU at an epoch boundary: its clock and its counters.</summary>
public sealed record PhysicalCpuResult(int Id, long Clock, PhysicalCpuCounters Counters);
