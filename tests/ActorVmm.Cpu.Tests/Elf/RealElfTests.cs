using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.Cpu.Tests.Elf;

/// <summary>
/// GCC and GNU ld output, not our builder's idea of ELF: the prebuilt guests committed in
/// guests/bin (a fresh clone always has them; the end-to-end tests check they rebuild
/// byte for byte).
/// </summary>
public sealed class RealElfTests
{
    private static string Bin(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorVmm.sln")))
            {
                return Path.Combine(dir.FullName, "guests", "bin", name);
            }
        }

        throw new InvalidOperationException("the tests must run inside the repository (ActorVmm.sln not found above the test binaries)");
    }

    [Theory]
    [InlineData("hello.elf")]
    [InlineData("crc32.elf")]
    public void Loads_a_prebuilt_user_program_with_its_symbols(string name)
    {
        var image = CheckStaticUserProgram(Bin(name));

        var main = Assert.Single(image.Symbols, s => s.Name == "main");
        Assert.Equal(ElfSymbolType.Function, main.Type);
        Assert.Equal("main+0x4", image.SymbolAt(main.Value + 4));
        Assert.StartsWith("_start", image.SymbolAt(image.Entry));
    }

    [Fact]
    public void Loads_the_prebuilt_kernel_at_its_physical_addresses()
    {
        var image = ElfImage.Parse(File.ReadAllBytes(Bin("kernel.elf")), "kernel.elf");
        Assert.All(image.Segments, s => Assert.Equal(0xC0000000u + s.PhysicalAddress, s.VirtualAddress));

        using var memory = new MemoryBlock(16UL << 20);
        var loaded = ElfLoader.Load(image, memory, ElfAddressing.Physical);

        foreach (var segment in image.Segments)
        {
            Assert.Equal(segment.Data.ToArray(), memory.Slice(segment.PhysicalAddress, (int)segment.FileSize).ToArray());
        }

        Assert.Equal(image.Entry, loaded.Entry);
        Assert.NotNull(image.SymbolAt(image.Entry));
    }

    /// <summary>What every program linked with guests/link/user.ld must satisfy.</summary>
    private static ElfImage CheckStaticUserProgram(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var image = ElfImage.Parse(bytes, Path.GetFileName(path));

        Assert.Equal(ElfFileType.Executable, image.Type);
        Assert.Contains(image.Segments, s => s.IsExecutable && s.VirtualAddress <= image.Entry && image.Entry < s.VirtualAddress + s.MemorySize);
        Assert.All(image.Segments, s => Assert.True(s.VirtualAddress + s.MemorySize <= 0x80000000u, $"{path}: segment above kuseg"));

        using var memory = new MemoryBlock(64UL << 20);
        var loaded = ElfLoader.Load(image, memory, ElfAddressing.Virtual);

        uint highest = 0;
        foreach (var segment in image.Segments)
        {
            Assert.Equal(segment.Data.ToArray(), memory.Slice(segment.VirtualAddress, (int)segment.FileSize).ToArray());
            Assert.All(memory.Slice(segment.VirtualAddress + segment.FileSize, (int)(segment.MemorySize - segment.FileSize)).ToArray(), b => Assert.Equal(0, b));
            highest = Math.Max(highest, segment.VirtualAddress + segment.MemorySize);
        }

        Assert.Equal(highest, loaded.HighestAddress);
        Assert.Equal(image.Entry, loaded.Entry);
        return image;
    }
}
