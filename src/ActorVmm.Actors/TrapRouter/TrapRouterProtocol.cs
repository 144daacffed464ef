using System.Collections.Immutable;
using ActorVmm.Memory;
using ActorVmm.Monitor;

namespace ActorVmm.Actors;

/// <summary>Messages the TrapRouter actor serves, and their replies.</summary>
public static class TrapRouterProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>vCPU → router: the guest needs the monitor (at simulated <paramref name="Cycle"/>, for the trace).</summary>
    public sealed record Trap(VcpuKey Vcpu, int Pcpu, TrapRequest Request, long Cycle = Monitor.Tracing.TraceRecord.NoCycle) : IMessage;

    /// <summary>
    /// Router → vCPU: what to do. For an intercepted TLB write, <paramref name="Mappings"/>
    /// holds the memory manager's answers for the entry's guest-physical pages the vCPU had
    /// not seen (refusals included: the vCPU never maps those).
    /// </summary>
    public sealed record Decided(TrapDecision Decision, ImmutableArray<GuestPageMapping> Mappings) : IMessage;

    /// <summary>GuestVm → router, between traps: give me your state (the VM is moving).</summary>
    public sealed record CaptureRouter : IMessage;

    /// <summary>The reply to <see cref="CaptureRouter"/>.</summary>
    public sealed record RouterCaptured(int Vm, RouterState State) : IMessage;
}
