using System.Collections.Immutable;
using ActorVmm.Actors.Protocol;
using ActorVmm.Actors.Tracing;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Virtualization;
using ActorVmm.Memory;
using Akka.Actor;
using static ActorVmm.Actors.Protocol.MemoryManagerProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// Owns the node's machine memory: the MPN allocator, every VM's pmap and the memmap. The
/// logic is <see cref="MachineMemoryManager"/>; this actor only gives it a mailbox.
/// </summary>
public sealed class MemoryManager : ReceiveActor
{
    private readonly MachineMemoryManager _memory;
    private readonly TraceRecorder _trace;
    private readonly Dictionary<int, uint> _pagesByVm = new();
    private uint _peak;

    public MemoryManager()
    {
        var node = MonitorNode.Get(Context.System);
        _trace = node.Trace;
        _memory = new MachineMemoryManager(node.MachineMemory, DeviceMap.PhysicalBase >> MachinePage.Shift);

        Receive<RegisterVm>(r =>
        {
            if (_memory.HasVm(r.Vm))
            {
                Sender.Tell(new VmRefused(r.Vm, $"VM {r.Vm} is already registered on this node"));
                return;
            }

            try
            {
                _memory.AddVm(r.Vm, r.MemoryBytes);
                int pages = GuestImageLoader.Load(r.Image, _memory, r.Vm);
                Count(r.Vm, (uint)pages);
                Sender.Tell(new VmRegistered(r.Vm, pages));
            }
            catch (Exception e) when (e is MachineConfigurationException or InvalidOperationException)
            {
                _memory.ReleaseVm(r.Vm);
                Sender.Tell(new VmRefused(r.Vm, e.Message));
            }
        });

        Receive<TranslatePages>(t =>
        {
            var mappings = ImmutableArray.CreateBuilder<GuestPageMapping>(t.Pages.Length);
            foreach (var ppn in t.Pages)
            {
                var m = _memory.Translate(t.Vm, ppn);
                if (m.Fresh)
                {
                    Count(t.Vm, 1);
                }

                _trace.Record(TraceKind.MapReply, t.Vm, 0, 0, 0, (ushort)m.Kind, ppn.Value, m.Mpn.Value, m.Fresh ? 1u : 0);
                mappings.Add(m);
            }

            Sender.Tell(new PagesTranslated(t.Vm, t.Correlation, mappings.MoveToImmutable()));
        });

        Receive<ReleaseVm>(r =>
        {
            // _pagesByVm keeps what the VM used over its life, for the report.
            uint released = _memory.ReleaseVm(r.Vm);
            _trace.Record(TraceKind.MemoryReleased, r.Vm, 0, 0, 0, 0, released);
            Sender.Tell(new VmReleased(r.Vm, released));
        });

        Receive<GetUsage>(_ => Sender.Tell(new MemoryUsage(
            (uint)node.MachineMemory.PageCount, _memory.AllocatedPages, new Dictionary<int, uint>(_pagesByVm), _peak)));
    }

    private void Count(int vm, uint pages)
    {
        _pagesByVm[vm] = _pagesByVm.GetValueOrDefault(vm) + pages;
        _peak = Math.Max(_peak, _memory.AllocatedPages);
    }
}
