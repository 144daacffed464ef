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
    // 16 pages (64 KB) a chunk stays below Akka.Remote's default 128,000-byte frame with room
    // to spare; 16 chunks (1 MB) in flight keep the link busy through the acknowledgements'
    // round trips (with 4, a loaded host spent most of a 16 MB move waiting for them) without
    // flooding the target's mailbox.
    private const int PagesPerChunk = 16;
    private const int ChunksInFlight = 16;

    private readonly MachineMemoryManager _memory;
    private readonly TraceRecorder _trace;
    private readonly Dictionary<int, Export> _exports = new();

    public MemoryManager()
        : this(PageSharingSettings.Off, null)
    {
    }

    public MemoryManager(PageSharingSettings sharing)
        : this(sharing, null)
    {
    }

    /// <param name="machineMemory">The machine memory it manages: the node's unless given (a test that plays two nodes in one system).</param>
    public MemoryManager(MemoryBlock? machineMemory)
        : this(PageSharingSettings.Off, machineMemory)
    {
    }

    public MemoryManager(PageSharingSettings sharing, MemoryBlock? machineMemory)
    {
        var node = MonitorNode.Get(Context.System);
        _trace = node.Trace;
        _memory = new MachineMemoryManager(machineMemory ?? node.MachineMemory, DeviceMap.PhysicalBase >> MachinePage.Shift, sharing);
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
                    _trace.Record(t.Vm, 0, 0, TraceRecord.NoCycle, 0, MapReplyEvent.Of(m));
                    mappings.Add(m);
                }

                Sender.Tell(new PagesTranslated(t.Vm, t.Correlation, mappings.MoveToImmutable()));
                break;
            }

            case ReleaseVm r:
            {
                uint released = _memory.ReleaseVm(r.Vm);
                _trace.Record(r.Vm, 0, 0, TraceRecord.NoCycle, 0, new MemoryReleasedEvent(released));
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
                    _trace.Record(remap.Vm, 0, 0, TraceRecord.NoCycle, 0, new PagesSharedEvent((uint)remap.Mappings.Length));
                }

                Sender.Tell(new SharingScanned(remaps));
                break;
            }

            case ExportVm e:
                StartExport(e);
                break;
            case PagesImported imported:
                OnImported(imported);
                break;
            case ImportRefused refused when _exports.Remove(refused.Vm, out var failed):
                failed.Asker.Tell(new ExportFailed(refused.Vm, $"the target node refused the pages: {refused.Reason}"));
                break;
            case ImportPages import:
                Import(import);
                break;
            case CopyPages copy:
                Sender.Tell(new PagesCopied(copy.Vm, !_memory.HasVm(copy.Vm) ? []
                    : copy.All ? [.. _memory.Export(copy.Vm)] : [.. _memory.Export(copy.Vm, copy.Pages)]));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>A VM leaves this node: its pages go to the target in chunks; its machine pages come back here once the target has them all.</summary>
    private void StartExport(ExportVm e)
    {
        if (!_memory.HasVm(e.Vm))
        {
            Sender.Tell(new ExportFailed(e.Vm, $"VM {e.Vm} has no memory on this node"));
            return;
        }

        var pages = _memory.Export(e.Vm).ToList();
        var chunks = pages.Chunk(PagesPerChunk).Select(c => c.ToImmutableArray()).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add([]); // an empty chunk still gives the VM a pmap on the target
        }

        var export = new Export(Sender, e.Target, _memory.PmapOf(e.Vm).PageCount << MachinePage.Shift, chunks, pages.Count);
        _exports[e.Vm] = export;
        while (export.Sent < chunks.Count && export.Sent - export.Acknowledged < ChunksInFlight)
        {
            SendChunk(e.Vm, export);
        }
    }

    private void SendChunk(int vm, Export export)
    {
        int i = export.Sent++;
        export.Target.Tell(new ImportPages(vm, (uint)export.MemoryBytes, i, export.Chunks[i]));
    }

    private void OnImported(PagesImported imported)
    {
        if (!_exports.TryGetValue(imported.Vm, out var export))
        {
            return;
        }

        export.Acknowledged++;
        if (export.Sent < export.Chunks.Count)
        {
            SendChunk(imported.Vm, export);
            return;
        }

        if (export.Acknowledged == export.Chunks.Count)
        {
            _exports.Remove(imported.Vm);
            uint released = _memory.ReleaseVm(imported.Vm);
            _trace.Record(imported.Vm, 0, 0, TraceRecord.NoCycle, 0, new MemoryReleasedEvent(released));
            export.Asker.Tell(new VmExported(imported.Vm, export.Pages, (long)export.Pages * MachinePage.Size));
        }
    }

    /// <summary>A chunk of a VM arriving on this node; the first one gives it a pmap here.</summary>
    private void Import(ImportPages import)
    {
        if (import.Chunk == 0)
        {
            if (_memory.HasVm(import.Vm))
            {
                Sender.Tell(new ImportRefused(import.Vm, import.Chunk, $"VM {import.Vm} already has memory on this node"));
                return;
            }

            _memory.AddVm(import.Vm, import.MemoryBytes);
        }

        foreach (var page in import.Pages)
        {
            if (!_memory.TryImport(import.Vm, page))
            {
                _memory.AbandonVm(import.Vm);
                Sender.Tell(new ImportRefused(import.Vm, import.Chunk, $"no machine page for {page.Ppn} (machine memory exhausted, or a page outside the VM)"));
                return;
            }
        }

        Sender.Tell(new PagesImported(import.Vm, import.Chunk));
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

    private sealed class Export(IActorRef asker, IActorRef target, ulong memoryBytes, List<ImmutableArray<GuestPageImage>> chunks, int pages)
    {
        public IActorRef Asker { get; } = asker;

        public IActorRef Target { get; } = target;

        public ulong MemoryBytes { get; } = memoryBytes;

        public List<ImmutableArray<GuestPageImage>> Chunks { get; } = chunks;

        public int Pages { get; } = pages;

        public int Sent { get; set; }

        public int Acknowledged { get; set; }
    }
}
