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
    private readonly ConcurrentDictionary<string, Lazy<ElfImage>> _images = new();
    private readonly ConcurrentDictionary<(string Path, BootConfiguration Config), Lazy<BootPlan>> _plans = new();

    /// <summary>The plan for a kernel file; throws what the loader throws for a bad kernel.</summary>
    public BootPlan Plan(string kernelPath, BootConfiguration config) =>
        _plans.GetOrAdd((kernelPath, config), key => new Lazy<BootPlan>(() => KernelBootLoader.Plan(Image(key.Path), key.Config))).Value;

    private ElfImage Image(string path) =>
        _images.GetOrAdd(path, p => new Lazy<ElfImage>(() => ElfImage.Parse(File.ReadAllBytes(p), Path.GetFileName(p)))).Value;
}
