using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Monitor;

/// <summary>
/// One VM under the monitor on the calling thread: the same trap loop the actors run
/// (<see cref="VcpuLoop"/> for the vCPU, <see cref="TrapHandler"/> for the router, the
/// <see cref="MachineMemoryManager"/> for machine memory), with plain calls in place of
/// messages. It is the measure of what the actors themselves cost, and a way to test the
/// monitor's semantics without an actor system.
/// </summary>
public sealed class SynchronousMonitor : IDisposable
{
    private const int VmId = 1;
    private const long Quantum = 1 << 20;
    private readonly MemoryBlock _machineMemory;
    private readonly MachineMemoryManager _memory;
    private readonly TrapHandler _router;
    private readonly VcpuLoop _vcpu;
    private readonly TraceRecorder _trace;

    public SynchronousMonitor(ElfImage kernel, BootConfiguration config, IConsoleSink console, CostModel? costs = null,
        ulong machineMemoryBytes = 0, TraceRecorder? trace = null, long maxInstructions = 0, L2TlbSettings? l2 = null)
        : this(config, console, costs, machineMemoryBytes, trace, maxInstructions, l2)
    {
        var plan = KernelBootLoader.Plan(kernel, config);
        GuestImagePlacement.Place(plan.Writes, _memory, VmId);
        _vcpu.Cpu.Boot(plan);
    }

    private SynchronousMonitor(BootConfiguration config, IConsoleSink console, CostModel? costs, ulong machineMemoryBytes, TraceRecorder? trace, long maxInstructions, L2TlbSettings? l2 = null)
    {
        _trace = trace ?? TraceRecorder.Disabled;
        _machineMemory = new MemoryBlock(machineMemoryBytes == 0 ? config.MemorySize : machineMemoryBytes);
        _memory = new MachineMemoryManager(_machineMemory, DeviceMap.PhysicalBase >> MachinePage.Shift);
        _memory.AddVm(VmId, config.MemorySize);
        _router = new TrapHandler(VmId, config.MemorySize, _trace, (_, bytes) =>
        {
            foreach (byte b in bytes)
            {
                console.Write(b);
            }
        }, costs);
        l2 ??= L2TlbSettings.Exact;
        var cpu = new VirtualizedCpu(_machineMemory, config.MemorySize, costs ?? CostModel.Default, config.TlbSize, 0, l2.Mode, l2.Entries);
        _vcpu = new VcpuLoop(new VcpuKey(VmId, 0), cpu, maxInstructions, _trace);
    }

    /// <summary>
    /// A VM restored from <paramref name="state"/> and <paramref name="pages"/> (as
    /// <see cref="Capture"/> took them, possibly in another process): it goes on exactly as the
    /// captured one would have, and its console continues where that one's stopped.
    /// </summary>
    public static SynchronousMonitor Restore(VmState state, IEnumerable<GuestPageImage> pages, BootConfiguration config, IConsoleSink console,
        CostModel? costs = null, long maxInstructions = 0)
    {
        var monitor = new SynchronousMonitor(config, console, costs, 0, null, maxInstructions);
        foreach (var page in pages)
        {
            if (!monitor._memory.TryImport(VmId, page))
            {
                monitor.Dispose();
                throw new StateFormatException($"guest page {page.Ppn} cannot be restored into a VM of {config.MemorySize >> 20} MB");
            }
        }

        monitor._router.Restore(state.Router);
        monitor._vcpu.Restore(state.Vcpu);
        if (state.Vcpu.SpecialArea is { } area)
        {
            var registers = monitor._memory.Perform(VmId, area, PageOperation.Pin);
            var buffer = monitor._memory.Perform(VmId, new Ppn(area.Value + 1), PageOperation.Pin);
            if (!registers.IsMemory || !buffer.IsMemory)
            {
                monitor.Dispose();
                throw new StateFormatException($"the special page at {area} cannot be pinned in a VM of {config.MemorySize >> 20} MB");
            }

            monitor._vcpu.Cpu.RestoreSpecialPage(registers, buffer);
        }

        return monitor;
    }

    /// <summary>The VM as it stands between two dispatches: its state and a copy of its pages.</summary>
    public (VmState State, IReadOnlyList<GuestPageImage> Pages) Capture() =>
        (new VmState(VmId, _vcpu.Capture(), _router.Capture()), _memory.Export(VmId).ToList());

    /// <summary>
    /// A checkpoint, between two dispatches: the state and every page the first time, then the
    /// state and only the pages written since the previous checkpoint (dirty tracking).
    /// </summary>
    public CheckpointCapture CaptureCheckpoint()
    {
        bool full = !_vcpu.Cpu.Dirty.Tracking;
        var dirty = _vcpu.Cpu.TakeDirtyPages();
        var state = new VmState(VmId, _vcpu.Capture(), _router.Capture());
        var pages = full ? _memory.Export(VmId) : _memory.Export(VmId, dirty);
        return new CheckpointCapture(state, pages.ToList(), full);
    }

    public VirtualizedCpu Cpu => _vcpu.Cpu;

    public long Traps => _vcpu.Traps;

    public VcpuStatistics Statistics() => _vcpu.Statistics();

    /// <summary>Run until power-off, a hang, or the guest cannot go on.</summary>
    public MachineOutcome Run() => RunUntil(long.MaxValue) ?? throw new InvalidOperationException("a run without a limit ended without an outcome");

    /// <summary>
    /// Run until the vCPU has used <paramref name="cycles"/> simulated cycles in all (it stops at
    /// the first dispatch boundary at or after it, where it can be captured), or until it ends:
    /// null while it can go on, else how it ended.
    /// </summary>
    public MachineOutcome? RunUntil(long cycles)
    {
        while (true)
        {
            long left = cycles - _vcpu.Cpu.ConsumedCycles;
            if (left <= 0)
            {
                return null;
            }

            var step = _vcpu.Dispatch(0, Math.Min(Quantum, left), machineSwitch: false, clock: _vcpu.Cycle);
            while (true)
            {
                switch (step.Kind)
                {
                    case VcpuStepKind.Trap:
                    {
                        var decided = _router.OnTrap(0, 0, step.Trap!, _vcpu.Cycle);
                        while (decided.Kind == RouterStepKind.Translate)
                        {
                            decided = _router.OnPagesTranslated(decided.Correlation, Translate(decided.Pages, decided.Operation));
                        }

                        step = _vcpu.OnDecided(decided.Decision!, decided.Mappings);
                        continue;
                    }

                    case VcpuStepKind.TranslatePage:
                        step = _vcpu.OnPagesTranslated(Translate([step.Page], step.Operation));
                        continue;
                    case VcpuStepKind.Crash:
                        return new MachineOutcome(step.CrashKind, -1, step.Diagnostic);
                    case VcpuStepKind.Yield when step.Reason == YieldReason.Halted:
                        return MachineOutcome.PowerOff(_router.ExitStatus);
                }

                break; // quantum end or idle: one vCPU on its own CPU is dispatched again at once
            }
        }
    }

    private ImmutableArray<GuestPageMapping> Translate(ImmutableArray<Ppn> pages, PageOperation operation)
    {
        var mappings = ImmutableArray.CreateBuilder<GuestPageMapping>(pages.Length);
        foreach (var ppn in pages)
        {
            var m = _memory.Perform(VmId, ppn, operation);
            _trace.Record(VmId, 0, 0, TraceRecord.NoCycle, 0, MapReplyEvent.Of(m));
            mappings.Add(m);
        }

        return mappings.MoveToImmutable();
    }

    public void Dispose() => _machineMemory.Dispose();
}
