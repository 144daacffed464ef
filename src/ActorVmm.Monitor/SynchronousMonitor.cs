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
    {
        var plan = KernelBootLoader.Plan(kernel, config);
        _trace = trace ?? TraceRecorder.Disabled;
        _machineMemory = new MemoryBlock(machineMemoryBytes == 0 ? config.MemorySize : machineMemoryBytes);
        _memory = new MachineMemoryManager(_machineMemory, DeviceMap.PhysicalBase >> MachinePage.Shift);
        _memory.AddVm(VmId, config.MemorySize);
        GuestImagePlacement.Place(plan.Writes, _memory, VmId);
        _router = new TrapHandler(VmId, config.MemorySize, _trace, (_, bytes) =>
        {
            foreach (byte b in bytes)
            {
                console.Write(b);
            }
        });
        l2 ??= L2TlbSettings.Exact;
        var cpu = new VirtualizedCpu(_machineMemory, config.MemorySize, costs ?? CostModel.Default, config.TlbSize, 0, l2.Mode, l2.Entries);
        cpu.Boot(plan);
        _vcpu = new VcpuLoop(new VcpuKey(VmId, 0), cpu, maxInstructions, _trace);
    }

    public VirtualizedCpu Cpu => _vcpu.Cpu;

    public long Traps => _vcpu.Traps;

    public VcpuStatistics Statistics() => _vcpu.Statistics();

    /// <summary>Run until power-off, a hang, or the guest cannot go on.</summary>
    public MachineOutcome Run()
    {
        var step = _vcpu.Dispatch(0, Quantum, machineSwitch: false);
        while (true)
        {
            switch (step.Kind)
            {
                case VcpuStepKind.Trap:
                {
                    var decided = _router.OnTrap(0, 0, step.Trap!);
                    while (decided.Kind == RouterStepKind.Translate)
                    {
                        decided = _router.OnPagesTranslated(decided.Correlation, Translate(decided.Pages, decided.Operation));
                    }

                    step = _vcpu.OnDecided(decided.Decision!, decided.Mappings);
                    break;
                }

                case VcpuStepKind.TranslatePage:
                    step = _vcpu.OnPagesTranslated(Translate([step.Page], step.Operation));
                    break;
                case VcpuStepKind.Crash:
                    return new MachineOutcome(step.CrashKind, -1, step.Diagnostic);
                case VcpuStepKind.Yield when step.Reason == YieldReason.Halted:
                    return MachineOutcome.PowerOff(_router.ExitStatus);
                default:
                    // Quantum end or idle: one vCPU on its own CPU runs again at once.
                    step = _vcpu.Dispatch(0, Quantum, machineSwitch: false);
                    break;
            }
        }
    }

    private ImmutableArray<GuestPageMapping> Translate(ImmutableArray<Ppn> pages, PageOperation operation)
    {
        var mappings = ImmutableArray.CreateBuilder<GuestPageMapping>(pages.Length);
        foreach (var ppn in pages)
        {
            var m = _memory.Perform(VmId, ppn, operation);
            _trace.Record(VmId, 0, 0, 0, MapReplyEvent.Of(m));
            mappings.Add(m);
        }

        return mappings.MoveToImmutable();
    }

    public void Dispose() => _machineMemory.Dispose();
}
