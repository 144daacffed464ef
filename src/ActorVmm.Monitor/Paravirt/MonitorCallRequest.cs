using System.Collections.Immutable;

namespace ActorVmm.Monitor;

/// <summary>A monitor call as the vCPU read it: the call, its argument registers, and for a console write the bytes.</summary>
public sealed record MonitorCallRequest(MonitorCall Call, uint A0, uint K0, uint K1, ImmutableArray<byte> Console = default);
