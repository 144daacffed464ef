using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;
using Akka.Actor;
using static ActorVmm.Actors.MemoryManagerProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// Owns the node's machine memory: the MPN allocator, every VM's pmap, the memmap and the
/// page accounting. The logic is <see cref="MachineMemoryManager"/>'s; this actor only gives
/// it a mailbox, so that one thread at a time decides which machine page belongs to whom.
/// </summary>
public sealed class MemoryManager : UntypedActor
{
    private readonly MachineMemoryManager _memory;
    private readonly TraceRecorder _trace;

    public MemoryManager()
        : this(PageSharingSettings.Off)
    {
    }

    public MemoryManager(PageSharingSettings sharing)
    {
        var node = MonitorNode.Get(Context.System);
        _trace = node.Trace;
        _memory = new MachineMemoryManager(node.MachineMemory, DeviceMap.PhysicalBase >> MachinePage.Shift, sharing);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RegisterVm r:
                Register(r);
                break;
            case TranslatePages t:
            {
                var mappings = ImmutableArray.CreateBuilder<GuestPageMapping>(t.Pages.Length);
                foreach (var ppn in t.Pages)
                {
                    var m = _memory.Perform(t.Vm, ppn, t.Operation);
                    _trace.Record(t.Vm, 0, 0, 0, MapReplyEvent.Of(m));
                    mappings.Add(m);
                }

                Sender.Tell(new PagesTranslated(t.Vm, t.Correlation, mappings.MoveToImmutable()));
                break;
            }

            case ReleaseVm r:
            {
                uint released = _memory.ReleaseVm(r.Vm);
                _trace.Record(r.Vm, 0, 0, 0, new MemoryReleasedEvent(released));
                Sender.Tell(new VmReleased(r.Vm, released));
                break;
            }

            case GetUsage:
                Sender.Tell(_memory.Usage());
                break;
            case EpochEnded:
                _memory.SampleBetweenEpochs();
                break;
            case ScanForSharing scan:
            {
                var remaps = _memory.ScanForSharing(scan.Budget, scan.Vms)
                    .GroupBy(r => r.Vm)
                    .Select(g => new VmRemap(g.Key, g.Select(r => r.Mapping).ToImmutableArray()))
                    .ToImmutableArray();
                foreach (var remap in remaps)
                {
                    _trace.Record(remap.Vm, 0, 0, 0, new PagesSharedEvent((uint)remap.Mappings.Length));
                }

                Sender.Tell(new SharingScanned(remaps));
                break;
            }
            default:
                Unhandled(message);
                break;
        }
    }

    private void Register(RegisterVm r)
    {
        if (_memory.HasVm(r.Vm))
        {
            Sender.Tell(new VmRefused(r.Vm, $"VM {r.Vm} is already registered on this node"));
            return;
        }

        try
        {
            _memory.AddVm(r.Vm, r.MemoryBytes);
            int pages = GuestImagePlacement.Place(r.Image.Writes, _memory, r.Vm);
            Sender.Tell(new VmRegistered(r.Vm, pages));
        }
        catch (ImagePlacementException e)
        {
            _memory.AbandonVm(r.Vm);
            Sender.Tell(new VmRefused(r.Vm, e.Message));
        }
    }
}
