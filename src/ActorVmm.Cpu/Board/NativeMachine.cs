using System.Diagnostics;
using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;

namespace ActorVmm.Cpu.Board;

/// <summary>
/// The bare simulated board: RAM, the device page and one CPU in native delivery, booted
/// per the boot contract. No monitor: the kernel runs in kernel mode and owns the hardware.
/// </summary>
public sealed class NativeMachine : IDisposable
{
    private const long Quantum = 1 << 20;

    private readonly MemoryBlock _ram;
    private readonly Mips32Core _cpu;
    private readonly DeviceRegisters _devices;
    private readonly ServiceProfile _services = new();
    private long _idleCycles;
    private long _waits;
    private TimeSpan _wallTime;

    public NativeMachine(ElfImage kernel, BootConfiguration config, IConsoleSink console)
    {
        var plan = KernelBootLoader.Plan(kernel, config);
        _devices = new DeviceRegisters(config.MemorySize, config.CpuCount, console);
        _ram = new MemoryBlock(config.MemorySize);
        try
        {
            _cpu = new Mips32Core(_ram, DeliveryMode.Native, AddressingMode.Mips32, new DevicePage(_devices), config.TlbSize)
            {
                Profile = _services,
            };
            plan.ApplyTo(_ram);
            plan.ApplyTo(_cpu, _cpu.Tlb, ref _cpu.Cp0);
            _cpu.InvalidateTranslations();
            Plan = plan;
        }
        catch
        {
            _ram.Dispose();
            throw;
        }
    }

    public BootPlan Plan { get; }

    public Mips32Core Cpu => _cpu;

    public DeviceRegisters Devices => _devices;

    /// <summary>Run until power-off, a hang, or <paramref name="instructionLimit"/>.</summary>
    public MachineOutcome Run(long instructionLimit = long.MaxValue)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                long left = instructionLimit - _cpu.Retired;
                if (left <= 0)
                {
                    return new MachineOutcome(MachineOutcomeKind.InstructionLimit, -1,
                        $"stopped after {instructionLimit:N0} instructions at pc 0x{_cpu.Pc:X8}");
                }

                var result = _cpu.Run(Math.Min(left, Quantum));
                switch (result.Kind)
                {
                    case ExitKind.Stopped when _devices.PoweredOff:
                        return MachineOutcome.PowerOff(_devices.ExitStatus);
                    case ExitKind.Wait:
                        if (!AdvanceToNextInterrupt())
                        {
                            return new MachineOutcome(MachineOutcomeKind.Hung, -1,
                                $"WAIT at pc 0x{_cpu.Pc - 4:X8} with the timer interrupt masked or Count stopped (Status 0x{_cpu.Cp0.Status:X8}, Cause 0x{_cpu.Cp0.Cause:X8}): nothing can wake the CPU");
                        }

                        break;
                    case ExitKind.ExceptionLoop:
                        return new MachineOutcome(MachineOutcomeKind.ExceptionLoop, -1,
                            $"the kernel's exception vector keeps faulting: {_cpu.LastException}");
                }
            }
        }
        finally
        {
            _wallTime += clock.Elapsed;
        }
    }

    /// <summary>WAIT idles per <see cref="WaitIdle"/>; the skipped cycles are idle time. Returns false if the CPU could never wake.</summary>
    private bool AdvanceToNextInterrupt()
    {
        _waits++;
        ref var cp0 = ref _cpu.Cp0;
        long idle = WaitIdle.CyclesToNextInterrupt(cp0, cp0.Count);
        if (idle == WaitIdle.Never)
        {
            return false;
        }

        if (idle > 0)
        {
            _idleCycles += idle;
            cp0.Count = cp0.Compare;
            cp0.RaiseTimerInterrupt();
        }

        return true;
    }

    public MachineStatistics Statistics()
    {
        var exceptions = new Dictionary<ExcCode, long>();
        foreach (var code in Enum.GetValues<ExcCode>())
        {
            long count = _cpu.ExceptionsDelivered(code);
            if (count > 0)
            {
                exceptions[code] = count;
            }
        }

        return new MachineStatistics(
            _cpu.Retired,
            _cpu.RetiredIn(PrivilegeMode.Kernel) + _cpu.RetiredIn(PrivilegeMode.Supervisor),
            _cpu.RetiredIn(PrivilegeMode.User),
            exceptions,
            _cpu.TlbRefillsDelivered,
            _idleCycles,
            _waits,
            _wallTime,
            _services.Snapshot(),
            _cpu.ContextSwitches);
    }

    public void Dispose() => _ram.Dispose();
}
