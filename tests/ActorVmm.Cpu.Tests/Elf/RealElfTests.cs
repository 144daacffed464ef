using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.Cpu.Tests.Elf;

/// <summary>
/// GCC and GNU ld output, not our builder's idea of ELF. The guest programs are produced by
/// another part of the project (guests/Makefile); when they are not there these tests say so
/// and pass, because xunit 2 cannot skip at run time.
/// </summary>
public sealed class RealElfTests(ITestOutputHelper output)
{
    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorVmm.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    [Fact]
    public void Loads_guests_bin_hello_elf_or_returns_early_when_it_is_missing()
    {
        string? root = RepositoryRoot();
        string? path = root is null ? null : Path.Combine(root, "guests", "bin", "hello.elf");
        if (path is null || !File.Exists(path))
        {
            output.WriteLine($"NOT RUN: {path ?? "guests/bin/hello.elf"} does not exist (build it with `make -C guests prebuilt`).");
            return;
        }

        var image = CheckStaticUserProgram(path);

        var main = Assert.Single(image.Symbols, s => s.Name == "main");
        Assert.Equal(ElfSymbolType.Function, main.Type);
        Assert.Equal("main+0x4", image.SymbolAt(main.Value + 4));
        Assert.StartsWith("_start", image.SymbolAt(image.Entry));
    }

    [Fact]
    public void Loads_every_built_guest_program_or_returns_early_when_none_are_built()
    {
        string? root = RepositoryRoot();
        string? build = root is null ? null : Path.Combine(root, "guests", "build");
        var files = build is not null && Directory.Exists(build)
            ? Directory.GetFiles(build, "*.elf", SearchOption.AllDirectories)
            : [];
        if (files.Length == 0)
        {
            output.WriteLine($"NOT RUN: no *.elf under {build ?? "guests/build"} (build them with `make -C guests all`).");
            return;
        }

        foreach (string file in files)
        {
            CheckStaticUserProgram(file);
        }

        output.WriteLine($"checked {files.Length} ELF files under {build}");
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
