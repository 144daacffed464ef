namespace ActorVmm.Monitor;

/// <summary>Why a vCPU gave its physical CPU back.</summary>
public enum YieldReason : byte
{
    QuantumEnd,
    Idle,
    Halted,
}
