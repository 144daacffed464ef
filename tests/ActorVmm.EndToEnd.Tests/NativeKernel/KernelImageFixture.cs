using System.Diagnostics;
using ActorVmm.Cpu.Elf;

namespace ActorVmm.EndToEnd.Tests.NativeKernel;

/// <summary>
/// The guest kernel the tests boot: built from source with guests/kernel/Makefile into a
/// temporary BUILD directory when the MIPS cross toolchain is on PATH, otherwise the committed
/// guests/bin/kernel.elf. <see cref="Source"/> says which; every test writes it to its output.
/// With a source build the unstripped user programs are there too, so the tests can ask
/// qemu-mipsel (when installed) for the same programs' output live.
/// </summary>
public sealed class KernelImageFixture : IDisposable
{
    private readonly string? _buildRoot;

    public KernelImageFixture()
    {
        RepoRoot = FindRepoRoot();
        KernelDirectory = Path.Combine(RepoRoot, "guests", "kernel");
        PrebuiltPath = Path.Combine(RepoRoot, "guests", "bin", "kernel.elf");
        PrebuiltPvPath = Path.Combine(RepoRoot, "guests", "bin", "kernel-pv.elf");
        ExpectedDirectory = Path.Combine(KernelDirectory, "expected");

        if (OnPath("mipsel-linux-gnu-gcc") is not null && OnPath("make") is not null)
        {
            _buildRoot = Path.Combine(Path.GetTempPath(), $"actorvmm-kernel-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(_buildRoot);
            var clock = Stopwatch.StartNew();
            Run("make", ["-C", KernelDirectory, $"BUILD={_buildRoot}", "-j2", "kernel", "programs"]);
            KernelPath = Path.Combine(_buildRoot, "kernel", "kernel.elf");
            PvKernelPath = Path.Combine(_buildRoot, "kernel", "kernel-pv.elf");
            ProgramsDirectory = Path.Combine(_buildRoot, "kernel", "programs");
            Source = $"kernel built from source by guests/kernel/Makefile in {_buildRoot} ({clock.Elapsed.TotalSeconds:F1} s)";
        }
        else
        {
            KernelPath = PrebuiltPath;
            PvKernelPath = PrebuiltPvPath;
            Source = $"kernel: prebuilt {PrebuiltPath} (mipsel-linux-gnu-gcc or make is not on PATH)";
        }

        KernelBytes = File.ReadAllBytes(KernelPath);
        PvKernelBytes = File.ReadAllBytes(PvKernelPath);
        Qemu = ProgramsDirectory is not null ? OnPath("qemu-mipsel") : null;
    }

    public string RepoRoot { get; }

    public string KernelDirectory { get; }

    public string KernelPath { get; }

    public string PrebuiltPath { get; }

    /// <summary>The paravirtual build (guests/kernel with PARAVIRT=1, docs/HYPERCALLS.md), built or prebuilt like the other.</summary>
    public string PvKernelPath { get; }

    public string PrebuiltPvPath { get; }

    public byte[] PvKernelBytes { get; }

    public string ExpectedDirectory { get; }

    /// <summary>The unstripped user programs, when the kernel was built from source.</summary>
    public string? ProgramsDirectory { get; }

    /// <summary>qemu-mipsel, when it is installed and there are programs to give it.</summary>
    public string? Qemu { get; }

    public string Source { get; }

    public byte[] KernelBytes { get; }

    public bool BuiltFromSource => _buildRoot is not null;

    public ElfImage Image() => ElfImage.Parse(KernelBytes, "kernel.elf");

    public string Expected(string name, string kind) => File.ReadAllText(Path.Combine(ExpectedDirectory, $"{name}.{kind}"));

    /// <summary>The cases of guests/kernel/expected/cases: name, program, arguments.</summary>
    public IReadOnlyList<(string Name, string Program, string[] Args)> Cases() => ReadCases(ExpectedDirectory);

    public static IReadOnlyList<(string Name, string Program, string[] Args)> ReadCases(string expectedDirectory) =>
        File.ReadAllLines(Path.Combine(expectedDirectory, "cases"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (f[0], f[1], f[2..]))
            .ToList();

    /// <summary>qemu-mipsel's stdout and exit status for a program, or null without qemu.</summary>
    public (string Stdout, int Status)? RunQemu(string program, IEnumerable<string> args)
    {
        if (Qemu is null || ProgramsDirectory is null)
        {
            return null;
        }

        string scratch = Path.Combine(_buildRoot!, "qemu");
        Directory.CreateDirectory(scratch); // core files, if any, land here
        var start = new ProcessStartInfo(Qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = scratch,
        };
        start.ArgumentList.Add("-cpu");
        start.ArgumentList.Add("24Kc");
        start.ArgumentList.Add(Path.Combine(ProgramsDirectory, program + ".elf"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        // A process killed by signal N: qemu-mipsel re-raises it; a shell would report 128 + N.
        int status = process.ExitCode < 0 ? 128 - process.ExitCode : process.ExitCode;
        return (stdout, status);
    }

    public void Dispose()
    {
        if (_buildRoot is null)
        {
            return;
        }

        try
        {
            Directory.Delete(_buildRoot, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The repository: ACTORVMM_REPO if set, else the first directory above the test binaries with ActorVmm.sln and guests/kernel.</summary>
    public static string FindRepoRoot()
    {
        string? forced = Environment.GetEnvironmentVariable("ACTORVMM_REPO");
        if (!string.IsNullOrEmpty(forced))
        {
            return forced;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorVmm.sln")) && Directory.Exists(Path.Combine(dir.FullName, "guests", "kernel")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ActorVmm.sln with guests/kernel above {AppContext.BaseDirectory}");
    }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists);

    private static void Run(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed with status {process.ExitCode}:\n{stdout}{stderr.Result}");
        }
    }
}
