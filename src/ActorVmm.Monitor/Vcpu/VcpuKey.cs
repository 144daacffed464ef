namespace ActorVmm.Monitor;

/// <summary>Names one vCPU across the monitor: its VM and its index in the VM.</summary>
public readonly record struct VcpuKey(int Vm, int Vcpu)
{
    public override string ToString() => $"vm{Vm}/vcpu{Vcpu}";
}
