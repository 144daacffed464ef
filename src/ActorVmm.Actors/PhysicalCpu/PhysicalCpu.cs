using ActorVmm.Monitor;
using Akka.Actor;
using static ActorVmm.Actors.PhysicalCpuProtocol;
using static ActorVmm.Actors.VirtualCpuProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// One simulated processor: a mailbox for <see cref="RunQueue"/>. Between epochs it waits for
/// the next <see cref="RunEpoch"/>; within one it dispatches its vCPUs and takes their
/// <see cref="Yielded"/> until its clock reaches the epoch's end. A vCPU that dies counts as
/// halted, so the epoch still ends.
/// </summary>
public sealed class PhysicalCpu : UntypedActor
{
    private readonly RunQueue _queue;
    private readonly Dictionary<VcpuKey, IActorRef> _vcpus = new();
    private readonly HashSet<IActorRef> _watched = new();
    private IActorRef _monitor = ActorRefs.Nobody;

    public PhysicalCpu(int id)
    {
        _queue = new RunQueue(id, MonitorNode.Get(Context.System).Trace);
    }

    protected override void OnReceive(object message) => BetweenEpochs(message);

    private void BetweenEpochs(object message)
    {
        switch (message)
        {
            case RunEpoch epoch:
                _monitor = Sender;
                foreach (var a in epoch.Vcpus)
                {
                    _vcpus[a.Slot.Key] = a.Vcpu;
                    if (_watched.Add(a.Vcpu))
                    {
                        Context.Watch(a.Vcpu);
                    }
                }

                Become(InEpoch);
                Act(_queue.StartEpoch(epoch.EpochEnd, epoch.Quantum, epoch.Vcpus.Select(a => a.Slot)));
                break;
            default:
                InAnyState(message);
                break;
        }
    }

    private void InEpoch(object message)
    {
        if (message is Yielded y)
        {
            Act(_queue.OnYielded(y.Vcpu, y.Reason, y.CyclesUsed, y.IdleCycles, y.Instructions));
        }
        else
        {
            InAnyState(message);
        }
    }

    /// <summary>A vCPU that died (a simulator error in it) counts as halted, whenever that happens.</summary>
    private void InAnyState(object message)
    {
        if (message is not Terminated t)
        {
            Unhandled(message);
            return;
        }

        _watched.Remove(t.ActorRef);
        foreach (var key in _vcpus.Where(kv => kv.Value.Equals(t.ActorRef)).Select(kv => kv.Key).ToList())
        {
            Act(_queue.OnVcpuLost(key));
        }
    }

    private void Act(SchedulerStep step)
    {
        switch (step.Kind)
        {
            case SchedulerStepKind.Dispatch:
                _vcpus[step.Vcpu].Tell(new Dispatch(_queue.Pcpu, step.Budget, step.MachineSwitch, _queue.Clock));
                break;
            case SchedulerStepKind.EpochDone:
                _monitor.Tell(new EpochDone(_queue.Pcpu, _queue.Clock, step.Slots, _queue.Counters));
                Become(BetweenEpochs);
                break;
        }
    }
}
