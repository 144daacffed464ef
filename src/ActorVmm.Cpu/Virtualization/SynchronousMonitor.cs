using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;

namespace ActorVmm.Cpu.Virtualization;

/// <summary>
/// One VM under the monitor's logic on the calling thread: the same vCPU engine, trap
/// emulator, memory manager and device registers the actors use, with plain calls in place
/// of messages. It is the measure of what the actors themselves cost, and a way to test the
/// monitor's semantics without an actor system.
/// </summary>
public sealed class SynchronousMonitor : IDisposable
{
    private const int VmId = 1;
    private readonly MemoryBlock _machineMemory;
    private readonly MachineMemoryManager _memory;
    private readonly DeviceRegisters _devices;

    public SynchronousMonitor(ElfImage kernel, BootConfiguration config, IConsoleSink console, CostModel? costs = null, ulong machineMemoryBytes = 0)
    {
        var plan = KernelBootLoader.Plan(kernel, config);
        _machineMemory = new MemoryBlock(machineMemoryBytes == 0 ? config.MemorySize : machineMemoryBytes);
        _memory = new MachineMemoryManager(_machineMemory, DeviceMap.PhysicalBase >> MachinePage.Shift);
        _memory.AddVm(VmId, config.MemorySize);
        GuestImageLoader.Load(plan, _memory, VmId);
        _devices = new DeviceRegisters(config.MemorySize, config.CpuCount, console);
        Cpu = new VirtualizedCpu(_machineMemory, config.MemorySize, costs ?? CostModel.Default, config.TlbSize);
        Cpu.Boot(plan);
    }

    public VirtualizedCpu Cpu { get; }

    public long Traps { get; private set; }

    public MachineOutcome Run(long instructionLimit = long.MaxValue)
    {
        while (true)
        {
            if (Cpu.GuestInstructions >= instructionLimit)
            {
                return new MachineOutcome(MachineOutcomeKind.InstructionLimit, -1, $"stopped after {instructionLimit:N0} instructions");
            }

            var stop = Cpu.Run(Cpu.ConsumedCycles + (1 << 20));
            switch (stop.Kind)
            {
                case VcpuStopKind.Halted:
                    return new MachineOutcome(MachineOutcomeKind.ExceptionLoop, -1, stop.Diagnostic);
                case VcpuStopKind.NeedPage:
                    Cpu.AddPage(_memory.Translate(VmId, stop.Page));
                    break;
                case VcpuStopKind.Trap:
                    Traps++;
                    var outcome = HandleTrap(stop.Trap!);
                    if (outcome is not null)
                    {
                        return outcome;
                    }

                    break;
            }
        }
    }

    private MachineOutcome? HandleTrap(TrapRequest trap)
    {
        if (trap.Kind == TrapKind.DeviceAccess)
        {
            var done = DeviceEmulation.Perform(_devices, trap.Device!);
            Cpu.Apply(done);
            return done.PoweredOff ? MachineOutcome.PowerOff(done.ExitStatus) : null;
        }

        var decision = TrapEmulator.Decide(trap);
        IReadOnlyList<GuestPageMapping>? mappings = null;
        if (decision is Emulated { TlbWrite: { } write })
        {
            mappings = TlbWriteTranslation.PagesOf(write.Entry).Select(ppn => _memory.Translate(VmId, ppn)).ToList();
        }

        Cpu.Apply(decision, mappings);
        if (decision is Idled && Cpu.Idle() < 0)
        {
            return new MachineOutcome(MachineOutcomeKind.Hung, -1, "WAIT with the timer interrupt masked: nothing can wake the CPU");
        }

        return null;
    }

    public void Dispose() => _machineMemory.Dispose();
}
