using System.Buffers.Binary;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;

namespace ActorVmm.Actors.Tests.Support;

/// <summary>
/// A hand-assembled "kernel": a few instruction words placed at guest-physical 0x1000 and
/// started at the ksseg address that maps it (0xC0001000) through the boot contract's wired
/// entries (device page in entry 0, the 16 MB ksseg window after it).
/// </summary>
internal static class TinyKernel
{
    public const uint CodePhysical = 0x1000;
    public const uint Entry = KernelBootLoader.KssegBase + CodePhysical;
    public static readonly Ppn CodePpn = Ppn.Of(CodePhysical);

    public static BootPlan Plan(uint memoryBytes, IEnumerable<uint> code) =>
        PlanWithWrites(memoryBytes, [new PhysicalWrite(CodePhysical, Bytes(code))]);

    public static BootPlan PlanWithWrites(uint memoryBytes, IReadOnlyList<PhysicalWrite> writes) =>
        new(Entry, memoryBytes, KernelBootLoader.KssegBase + 0x3000, 0x4000, writes, [], KernelBootLoader.WiredEntries(memoryBytes));

    public static byte[] Bytes(IEnumerable<uint> words)
    {
        var list = words.ToList();
        var bytes = new byte[list.Count * 4];
        for (int i = 0; i < list.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), list[i]);
        }

        return bytes;
    }

    /// <summary>Put instruction words into a machine page, as the memory manager would have when loading the image.</summary>
    public static void Place(MemoryBlock machine, Mpn mpn, uint offsetInPage, IEnumerable<uint> words) =>
        machine.Write(mpn.Address + offsetInPage, Bytes(words));
}
