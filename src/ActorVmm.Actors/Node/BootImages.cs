using System.Collections.Concurrent;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;

namespace ActorVmm.Actors;

/// <summary>
/// Boot plans shared by every VM of a node that boots the same kernel the same way. A fleet
/// of thousands of VMs would otherwise read, parse and hold one copy of the kernel file each
/// (the plan's segment data are slices of it): immutable, so sharing is safe.
/// </summary>
public sealed class BootImages
{
    // A kernel file is only read if it could fit in the VM's memory, and never below this
    // (the file holds symbols and headers besides the image).
    private const ulong MinimumFileLimit = 1UL << 20;

    private readonly ConcurrentDictionary<(string Path, ulong Limit), Lazy<ElfImage>> _images = new();
    private readonly ConcurrentDictionary<(string Path, BootConfiguration Config), Lazy<BootPlan>> _plans = new();

    /// <summary>
    /// The plan for a kernel file; throws what the loader throws for a bad kernel (a file that
    /// is not regular or larger than the VM's memory is refused before it is read).
    /// </summary>
    public BootPlan Plan(string kernelPath, BootConfiguration config) =>
        _plans.GetOrAdd((kernelPath, config), key => new Lazy<BootPlan>(() =>
            KernelBootLoader.Plan(Image(key.Path, Math.Max(key.Config.MemorySize, MinimumFileLimit)), key.Config))).Value;

    private ElfImage Image(string path, ulong limit) =>
        _images.GetOrAdd((path, limit), key => new Lazy<ElfImage>(() => ElfFile.ParseChecked(key.Path, key.Limit))).Value;
}
