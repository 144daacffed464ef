namespace ActorVmm.Monitor;

/// <summary>
/// A VM between two dispatches, its guest pages aside: its vCPU and its trap router. Captured
/// and restored by pure code; <see cref="VmStateCodec"/> gives it a versioned, checksummed
/// binary form. Pages travel separately (in chunks when a VM moves, by content when saved).
/// </summary>
public sealed record VmState(int Vm, VcpuState Vcpu, RouterState Router);
