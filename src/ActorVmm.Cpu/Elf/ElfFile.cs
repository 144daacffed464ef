namespace ActorVmm.Cpu.Elf;

/// <summary>
/// Reading a kernel or program file without trusting the path. <c>File.ReadAllBytes</c> of
/// /dev/zero reads until the runtime runs out of memory (4.2 GB, then OutOfMemoryException),
/// of a pipe it blocks, and a file of gigabytes is read whole before anyone notices it cannot
/// fit. So what the path names is checked first, and only a regular file no larger than the
/// memory its image must fit in is read.
/// </summary>
public static class ElfFile
{
    /// <summary>
    /// The bytes of <paramref name="path"/>, refused before anything is read if it is not a
    /// regular file with contents or is larger than <paramref name="maxBytes"/>.
    /// </summary>
    /// <exception cref="IOException">
    /// One line saying what is wrong, without the path (callers say "cannot read PATH: ...").
    /// Missing files and permissions fail as the runtime reports them (FileNotFoundException,
    /// UnauthorizedAccessException).
    /// </exception>
    public static byte[] ReadChecked(string path, ulong maxBytes)
    {
        if (Directory.Exists(path))
        {
            throw new IOException("it is a directory, not an ELF file");
        }

        // A link's own length is that of the path it holds; what is read is its final target.
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
        {
            info = target;
        }

        if (!info.Exists)
        {
            throw new FileNotFoundException("no such file", path);
        }

        // A device, a pipe or a socket has no length (nor has an empty file): refused
        // unopened, since opening a pipe already blocks.
        long length = info.Length;
        if (length == 0)
        {
            throw new IOException("it is empty or not a regular file (a device, a pipe): an ELF executable is a regular file");
        }

        ulong limit = Math.Min(maxBytes, (ulong)Array.MaxLength);
        if ((ulong)length > limit)
        {
            throw new IOException($"it is {Describe((ulong)length)}, larger than the {Describe(limit)} of memory it must fit in");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        if (stream.ReadByte() >= 0)
        {
            throw new IOException("it grew while being read");
        }

        return bytes;
    }

    /// <summary><see cref="ReadChecked"/>, then <see cref="ElfImage.Parse"/> under the file's name.</summary>
    public static ElfImage ParseChecked(string path, ulong maxBytes) =>
        ElfImage.Parse(ReadChecked(path, maxBytes), Path.GetFileName(path));

    private static string Describe(ulong bytes) => bytes switch
    {
        >= 1UL << 30 => $"{bytes / (double)(1UL << 30):0.#} GB",
        >= 1UL << 20 => $"{bytes / (double)(1UL << 20):0.#} MB",
        >= 1UL << 10 => $"{bytes / (double)(1UL << 10):0.#} KB",
        _ => $"{bytes} bytes",
    };
}
