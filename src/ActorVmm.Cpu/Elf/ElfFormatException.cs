namespace ActorVmm.Cpu.Elf;

/// <summary>
/// An ELF file that this machine cannot load. The message is one line, names the file when
/// its name is known, and says exactly what is wrong, because it is what a user sees when
/// <c>actorvmm exec</c> or <c>actorvmm boot</c> refuses their program.
/// </summary>
public sealed class ElfFormatException : FormatException
{
    public ElfFormatException(string? fileName, string problem)
        : base(fileName is null ? problem : $"{fileName}: {problem}")
    {
        FileName = fileName;
        Problem = problem;
    }

    /// <summary>The name given to <see cref="ElfImage.Parse"/>, if any.</summary>
    public string? FileName { get; }

    /// <summary>The message without the file name.</summary>
    public string Problem { get; }
}
