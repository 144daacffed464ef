using ActorVmm.Cpu.Elf;
using Xunit;

namespace ActorVmm.Cpu.Tests.Elf;

/// <summary>
/// Reading a kernel or program file: what is not a regular file, or cannot fit in the memory
/// the image must go into, is refused before a byte is read (issue 10: exec and boot of
/// /dev/zero read 4.2 GB and died of OutOfMemoryException).
/// </summary>
public sealed class ElfFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elffile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_regular_file_is_read_whole()
    {
        string path = Path.Combine(_dir, "two.elf");
        byte[] bytes = ElfBuilder.TwoSegments().Build();
        File.WriteAllBytes(path, bytes);

        Assert.Equal(bytes, ElfFile.ReadChecked(path, 1UL << 20));
        Assert.Equal("two.elf", ElfFile.ParseChecked(path, 1UL << 20).Name);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/null")]
    [InlineData("/dev/urandom")]
    public void A_device_is_refused_unread(string device)
    {
        var e = Assert.Throws<IOException>(() => ElfFile.ReadChecked(device, 16UL << 20));
        Assert.Equal("it is empty or not a regular file (a device, a pipe): an ELF executable is a regular file", e.Message);
    }

    [Fact]
    public void A_link_to_a_device_is_judged_by_the_device()
    {
        string link = Path.Combine(_dir, "kernel.elf");
        File.CreateSymbolicLink(link, "/dev/zero");

        var e = Assert.Throws<IOException>(() => ElfFile.ReadChecked(link, 16UL << 20));
        Assert.StartsWith("it is empty or not a regular file", e.Message);
    }

    [Fact]
    public void A_file_larger_than_the_memory_is_refused_before_it_is_read()
    {
        string path = Path.Combine(_dir, "huge.elf");
        using (var file = File.Create(path))
        {
            file.SetLength(5L << 30); // sparse: nothing is written
        }

        var e = Assert.Throws<IOException>(() => ElfFile.ReadChecked(path, 16UL << 20));
        Assert.Equal("it is 5 GB, larger than the 16 MB of memory it must fit in", e.Message);
    }

    [Fact]
    public void A_directory_and_a_missing_file_are_named_as_such()
    {
        Assert.Equal("it is a directory, not an ELF file", Assert.Throws<IOException>(() => ElfFile.ReadChecked(_dir, 1UL << 20)).Message);
        Assert.Equal("no such file", Assert.Throws<FileNotFoundException>(() => ElfFile.ReadChecked(Path.Combine(_dir, "none.elf"), 1UL << 20)).Message);
    }
}
