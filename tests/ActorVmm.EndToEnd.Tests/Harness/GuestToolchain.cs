using System.Diagnostics;
using System.Text.RegularExpressions;
using ActorVmm.Host.Fuzz;

namespace ActorVmm.EndToEnd.Tests.Harness;

/// <summary>
/// The outside world the end-to-end tests need: Debian's MIPS cross toolchain, qemu-mipsel
/// (the oracle), make, csmith; building guests/ with its Makefile; running one program
/// under qemu-mipsel and under exec (in process, <see cref="ActorVmm.Cpu.Exec.LinuxProcess"/>).
/// </summary>
public static partial class GuestToolchain
{
    public static readonly IReadOnlyList<string> CrossTools =
        ["mipsel-linux-gnu-gcc", "mipsel-linux-gnu-as", "mipsel-linux-gnu-ld", "qemu-mipsel", "make"];

    /// <summary>Throws, saying how to get them, when any of the cross tools (and <paramref name="extra"/>) is missing.</summary>
    public static void RequireTools(params string[] extra)
    {
        var missing = CrossTools.Concat(extra).Where(t => CrossToolchain.FindOnPath(t) is null).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"missing on PATH: {string.Join(", ", missing)}. The end-to-end tests need Debian's gcc-mipsel-linux-gnu, " +
                "qemu-user, csmith and make: run the README's test command, ./test.sh, which installs them and then runs the tests.");
        }
    }

    /// <summary>Runs a tool to completion; throws with its output when it fails.</summary>
    public static string Run(string tool, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot.Path,
        };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', start.ArgumentList)} failed with status {process.ExitCode}:\n{stdout}{stderr.Result}");
        }

        return stdout;
    }

    /// <summary><c>make -C guests BUILD=dir -j2 all</c>: libc, conformance programs at every -O level, asm and fault programs.</summary>
    public static void BuildGuests(string buildDirectory)
    {
        RequireTools();
        Run("make", ["-C", RepoRoot.Guests, $"BUILD={buildDirectory}", "-j2", "all"]);
    }

    /// <summary>Every ELF the Makefile builds (its <c>list</c> target), relative to the build directory,
    /// e.g. <c>conformance/arith32-O2.elf</c>, <c>conformance/asm/bits.elf</c>, <c>faults/break.elf</c>.</summary>
    public static IReadOnlyList<string> ListPrograms()
    {
        const string placeholder = "@BUILD@";
        return
        [
            .. Run("make", ["-s", "-C", RepoRoot.Guests, $"BUILD={placeholder}", "list"])
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => line.StartsWith(placeholder + "/", StringComparison.Ordinal) && line.EndsWith(".elf", StringComparison.Ordinal))
                .Select(line => line[(placeholder.Length + 1)..]),
        ];
    }

    /// <summary>The arguments a program is run with: its source's <c>conformance-args:</c> line, as guests/tools/qemu-check.sh reads it.</summary>
    public static IReadOnlyList<string> ArgumentsFor(string program)
    {
        string? source = SourceOf(program);
        if (source is null)
        {
            return [];
        }

        foreach (string line in File.ReadLines(source))
        {
            var m = ArgsLine().Match(line);
            if (m.Success)
            {
                return m.Groups[1].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return [];
    }

    /// <summary>The source file a listed program is built from, or null.</summary>
    public static string? SourceOf(string program)
    {
        string name = Path.GetFileNameWithoutExtension(program);
        string dir = Path.GetDirectoryName(program)!.Replace('\\', '/');
        IEnumerable<string> candidates = dir switch
        {
            "conformance" => [Path.Combine("conformance", LevelSuffix().Replace(name, "") + ".c")],
            "conformance/asm" => [Path.Combine("conformance", "asm", name + ".S")],
            "faults" => [Path.Combine("conformance", "faults", name + ".c"), Path.Combine("conformance", "faults", name + ".S")],
            _ => [],
        };
        return candidates.Select(c => Path.Combine(RepoRoot.Guests, c)).FirstOrDefault(File.Exists);
    }

    public static GuestRun RunQemu(string elf, IReadOnlyList<string> args, TimeSpan timeout) =>
        GuestRunner.RunQemu(elf, args, timeout);

    public static GuestRun RunExec(string elf, IReadOnlyList<string> args, long instructionLimit) =>
        GuestRunner.RunExec(elf, args, instructionLimit);

    /// <summary>Runs <paramref name="elf"/> under both and compares stdout bytes and exit status
    /// (and stderr too, with <paramref name="compareStderr"/>, unless qemu died of a signal: its
    /// own "uncaught target signal" line is not the guest's).</summary>
    public static Differential Compare(string elf, IReadOnlyList<string> args, TimeSpan qemuTimeout, long instructionLimit, bool compareStderr = false)
    {
        var qemu = RunQemu(elf, args, qemuTimeout);
        if (qemu.TimedOut)
        {
            return new Differential(qemu, null, $"qemu-mipsel did not finish {Path.GetFileName(elf)} within {qemuTimeout.TotalSeconds:F0} s");
        }

        var exec = RunExec(elf, args, instructionLimit);
        return new Differential(qemu, exec, OutputDiff.Describe(qemu, exec, compareStderr && qemu.Status < 128));
    }

    [GeneratedRegex(@"conformance-args:\s*(.*)$")]
    private static partial Regex ArgsLine();

    [GeneratedRegex(@"-O[0-9sz]$")]
    private static partial Regex LevelSuffix();
}

/// <summary>Both runs of one program, and what differs (null: nothing).</summary>
public sealed record Differential(GuestRun Qemu, GuestRun? Exec, string? Difference)
{
    public bool Same => Difference is null;
}
