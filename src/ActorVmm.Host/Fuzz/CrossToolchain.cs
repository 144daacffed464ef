using System.Diagnostics;

namespace ActorVmm.Host.Fuzz;

/// <summary>
/// The Debian MIPS cross toolchain and qemu-user, found on PATH, and the repository's
/// guests/ tree (for its linker script), found by walking up from the working directory
/// or from this program's own directory to ActorVmm.sln.
/// </summary>
public sealed class CrossToolchain
{
    public const string Compiler = "mipsel-linux-gnu-gcc";
    public const string Qemu = "qemu-mipsel";

    /// <summary>The flags of guests/Makefile (ARCHFLAGS, and LDFLAGS without libgcc): MIPS32r2, no FPU,
    /// no PIC or abicalls, nothing gp-relative, static, guests/link/user.ld.</summary>
    public static readonly IReadOnlyList<string> Flags =
    [
        "-march=mips32r2", "-EL", "-msoft-float", "-mno-abicalls", "-fno-pic", "-G0",
        "-ffreestanding", "-nostdlib", "-static", "-no-pie",
        "-Wl,--build-id=none", "-Wl,-z,max-page-size=4096", "-Wl,--orphan-handling=error",
    ];

    private CrossToolchain(string repositoryRoot) => RepositoryRoot = repositoryRoot;

    public string RepositoryRoot { get; }

    public string LinkerScript => Path.Combine(RepositoryRoot, "guests", "link", "user.ld");

    /// <summary>The directory holding ActorVmm.sln above <paramref name="start"/>, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorVmm.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>Finds the repository and checks the tools; the message says what is missing.</summary>
    public static CrossToolchain Locate(string? repositoryRoot = null)
    {
        string root = repositoryRoot
            ?? FindRepositoryRoot(Environment.CurrentDirectory)
            ?? FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new ToolchainException("cannot find the ActorVmm repository (ActorVmm.sln) above the working directory; run from inside it");
        var toolchain = new CrossToolchain(root);
        if (!File.Exists(toolchain.LinkerScript))
        {
            throw new ToolchainException($"{toolchain.LinkerScript} is missing");
        }

        var missing = new[] { Compiler, Qemu }.Where(t => FindOnPath(t) is null).ToList();
        if (missing.Count > 0)
        {
            throw new ToolchainException(
                $"{string.Join(" and ", missing)} not found on PATH; install Debian's gcc-mipsel-linux-gnu and qemu-user (./test.sh does)");
        }

        return toolchain;
    }

    public static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>Assembles and links a self-contained .S program (no libc) into <paramref name="elf"/>.</summary>
    public void AssembleAndLink(string source, string elf)
    {
        var start = new ProcessStartInfo(Compiler)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string flag in Flags)
        {
            start.ArgumentList.Add(flag);
        }

        start.ArgumentList.Add("-T");
        start.ArgumentList.Add(LinkerScript);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(elf);
        start.ArgumentList.Add(source);
        using var process = Process.Start(start) ?? throw new ToolchainException($"cannot start {Compiler}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new ToolchainException($"{Compiler} failed on {source} (status {process.ExitCode}):\n{stdout.Result}{stderr}");
        }
    }
}

/// <summary>The cross toolchain, qemu or the repository is missing, or the assembler refused a program.</summary>
public sealed class ToolchainException(string message) : Exception(message);
