using System.Collections.Immutable;
using ActorVmm.Cpu.Virtualization;
using ActorVmm.Memory;

namespace ActorVmm.Actors.Protocol;

/// <summary>Messages of the TrapRouter actor, the monitor's trap handler for one VM.</summary>
public static class TrapRouterProtocol
{
    /// <summary>vCPU → router: the guest needs the monitor.</summary>
    public sealed record Trap(VcpuKey Vcpu, int Pcpu, TrapRequest Request);

    /// <summary>
    /// Router → vCPU: what to do. For an intercepted TLB write, <paramref name="Mappings"/>
    /// holds the memory manager's answers for the entry's guest-physical pages (refusals
    /// included: the vCPU never maps those).
    /// </summary>
    public sealed record Decided(TrapDecision Decision, ImmutableArray<GuestPageMapping> Mappings);
}
