using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;

namespace ActorVmm.Cpu.Board;

/// <summary>
/// The boot contract of docs/MACHINE.md: checks a kernel ELF against it and produces the
/// <see cref="BootPlan"/>. Refusals are <see cref="ElfFormatException"/>s naming the problem.
/// </summary>
public static class KernelBootLoader
{
    public const uint KssegBase = 0xC0000000;
    private const uint WindowPageSize = 16u << 20;
    private const uint WindowPageMask = 0x01FFE000; // 16 MB pages
    private const uint WindowEntrySpan = 2 * WindowPageSize;

    public static BootPlan Plan(ElfImage kernel, BootConfiguration config)
    {
        ValidateConfiguration(config);
        string name = kernel.Name ?? "kernel";
        uint memory = config.MemorySize;
        var writes = new List<PhysicalWrite>();
        var zeroes = new List<PhysicalRange>();
        ulong highest = 0;
        foreach (var segment in kernel.Segments)
        {
            uint pa = segment.PhysicalAddress;
            if (segment.VirtualAddress != KssegBase + pa)
            {
                throw new ElfFormatException(name,
                    $"segment {segment.Index} has p_vaddr 0x{segment.VirtualAddress:X8} and p_paddr 0x{pa:X8}; " +
                    $"the boot contract maps ksseg 0x{KssegBase:X8}+x to physical x, so p_vaddr must be 0x{KssegBase + pa:X8} (link the kernel in ksseg)");
            }

            ulong end = (ulong)pa + segment.MemorySize;
            if (end > memory)
            {
                throw new ElfFormatException(name,
                    $"segment {segment.Index} occupies physical [0x{pa:X8}, 0x{end:X8}), which does not fit in {Describe(memory)} of RAM");
            }

            zeroes.Add(new PhysicalRange(pa, segment.MemorySize));
            if (segment.FileSize > 0)
            {
                writes.Add(new PhysicalWrite(pa, segment.Data));
            }

            highest = Math.Max(highest, end);
        }

        if (kernel.Entry < KssegBase || kernel.Entry - KssegBase >= highest)
        {
            throw new ElfFormatException(name, $"entry point 0x{kernel.Entry:X8} is not inside the kernel image in ksseg");
        }

        uint bootInfo = (uint)MachinePage.RoundUp(highest);
        uint commandLine = bootInfo + BootInfo.Size;
        ulong freeStart = MachinePage.RoundUp((ulong)commandLine + (uint)config.CommandLine.Length + 1);
        if (freeStart > memory)
        {
            throw new ElfFormatException(name, $"the kernel ({Describe((uint)highest)}) and its boot information do not fit in {Describe(memory)} of RAM");
        }

        var info = new BootInfo(memory, config.CpuCount, (uint)freeStart, KssegBase + commandLine);
        writes.Add(new PhysicalWrite(bootInfo, info.Encode(config.CommandLine)));
        return new BootPlan(kernel.Entry, memory, KssegBase + bootInfo, (uint)freeStart, writes, zeroes, WiredEntries(memory));
    }

    /// <summary>Entry 0 maps the device page; then 32 MB per entry of the ksseg window over RAM.</summary>
    public static IReadOnlyList<TlbEntry> WiredEntries(uint memorySize)
    {
        var entries = new List<TlbEntry>
        {
            new(DeviceMap.VirtualBase, 0,
                EntryLoBits.Make(DeviceMap.PhysicalBase >> MachinePage.Shift, EntryLoBits.CacheUncached, dirty: true, valid: true, global: true),
                EntryLoBits.G),
        };
        for (uint start = 0; start < memorySize; start += WindowEntrySpan)
        {
            entries.Add(new TlbEntry(KssegBase + start, WindowPageMask,
                WindowHalf(start, memorySize), WindowHalf(start + WindowPageSize, memorySize)));
        }

        return entries;
    }

    private static uint WindowHalf(uint physical, uint memorySize) =>
        EntryLoBits.Make(physical >> MachinePage.Shift, EntryLoBits.CacheCacheable, dirty: true, valid: physical < memorySize, global: true);

    private static void ValidateConfiguration(BootConfiguration config)
    {
        if (config.MemorySize is < BootConfiguration.MinimumMemorySize or > BootConfiguration.MaximumMemorySize
            || (config.MemorySize & MachinePage.OffsetMask) != 0)
        {
            throw new MachineConfigurationException(
                $"memory size {config.MemorySize} bytes: it must be a multiple of 4 KB between {Describe(BootConfiguration.MinimumMemorySize)} and {Describe(BootConfiguration.MaximumMemorySize)}");
        }

        if (config.CommandLine.Length > BootConfiguration.MaximumCommandLine || config.CommandLine.Any(c => c is < ' ' or > '~'))
        {
            throw new MachineConfigurationException($"the command line must be printable ASCII of at most {BootConfiguration.MaximumCommandLine} characters");
        }

        if (config.CpuCount is < 1 or > 64)
        {
            throw new MachineConfigurationException($"cpu count {config.CpuCount}: a machine has 1 to 64 CPUs");
        }
    }

    public static string Describe(uint bytes) =>
        bytes % (1u << 20) == 0 ? $"{bytes >> 20} MB" : bytes % 1024 == 0 ? $"{bytes >> 10} KB" : $"{bytes} bytes";
}
