using ActorVmm.Cpu.Elf;
using ActorVmm.Host;

namespace ActorVmm.Benchmarks;

/// <summary>
/// A real guest user program (GCC output, Linux o32) for the core benchmarks: the prebuilt
/// CRC32 benchmark, and the conformance sort and sieve programs when <c>make -C guests
/// conformance</c> has built them.
/// </summary>
public sealed record GuestProgram(string Name, string Path, string[] Arguments)
{
    /// <summary>The guests that exist in this checkout, by name.</summary>
    public static IReadOnlyList<GuestProgram> Available { get; } = Find();

    public static GuestProgram Named(string name) => Available.FirstOrDefault(g => g.Name == name)
        ?? throw new InvalidOperationException($"guest {name} not found (build it with make -C guests conformance)");

    public ElfImage Load() => ElfImage.Parse(File.ReadAllBytes(Path), System.IO.Path.GetFileName(Path));

    public override string ToString() => Name;

    private static List<GuestProgram> Find()
    {
        string guests = RepositoryPaths.Guests;
        var candidates = new[]
        {
            // 100 rounds over 64 KB: about 66 M instructions.
            new GuestProgram("crc32", System.IO.Path.Combine(guests, "bin", "crc32.elf"), ["100"]),
            new GuestProgram("sort", System.IO.Path.Combine(guests, "build", "conformance", "sort-O2.elf"), []),
            new GuestProgram("sieve", System.IO.Path.Combine(guests, "build", "conformance", "sieve-O2.elf"), []),
        };
        return candidates.Where(g => File.Exists(g.Path)).ToList();
    }
}
