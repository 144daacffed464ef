using System.Diagnostics;
using ActorVmm.Cpu.Elf;
using ActorVmm.Cpu.Exec;

namespace ActorVmm.Host.Fuzz;

/// <summary>How one run of a guest program ended, under qemu-mipsel or under exec.</summary>
/// <param name="Status">What a shell would see: the exit status, or 128 + signal.</param>
/// <param name="TimedOut">qemu did not finish within its time limit (and was killed), or exec hit its instruction limit.</param>
/// <param name="Reason">exec's explanation of a fault or limit, if any.</param>
public sealed record GuestRun(byte[] Stdout, byte[] Stderr, int Status, bool TimedOut, TimeSpan Elapsed, string? Reason = null, long Instructions = 0);

/// <summary>Runs a guest ELF under the oracle (qemu-mipsel) and under ActorVmm's exec, in the same way.</summary>
public static class GuestRunner
{
    /// <summary>The oracle. "-cpu 24Kc" is the model ActorVmm follows (no FPU); "-0" makes argv[0]
    /// the same bare file name exec passes; the shell turns core dumps off.</summary>
    public static GuestRun RunQemu(string elf, IReadOnlyList<string> args, TimeSpan timeout, string? workingDirectory = null, string qemu = "qemu-mipsel")
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(elf))!,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("ulimit -c 0 2>/dev/null; exec \"$0\" \"$@\"");
        start.ArgumentList.Add(qemu);
        start.ArgumentList.Add("-cpu");
        start.ArgumentList.Add("24Kc");
        start.ArgumentList.Add("-0");
        start.ArgumentList.Add(Path.GetFileName(elf));
        start.ArgumentList.Add(Path.GetFullPath(elf));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {qemu}");
        process.StandardInput.Close();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var copyErr = process.StandardError.BaseStream.CopyToAsync(stderr);
        bool finished = process.WaitForExit(timeout);
        if (!finished)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it exited after all
            }

            process.WaitForExit();
        }

        Task.WaitAll(copyOut, copyErr);
        clock.Stop();
        return new GuestRun(stdout.ToArray(), stderr.ToArray(), finished ? process.ExitCode : -1, !finished, clock.Elapsed);
    }

    /// <summary>The thing under test, in process: <see cref="LinuxProcess"/> with argv[0] the file name.</summary>
    public static GuestRun RunExec(string elf, IReadOnlyList<string> args, long instructionLimit)
    {
        var image = ElfImage.Parse(File.ReadAllBytes(elf), Path.GetFileName(elf));
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var argv = new List<string> { Path.GetFileName(elf) };
        argv.AddRange(args);
        var clock = Stopwatch.StartNew();
        using var process = new LinuxProcess(image, argv, stdout, stderr, Stream.Null);
        var exit = process.Run(instructionLimit);
        clock.Stop();
        bool limited = exit.Signal == (int)LinuxSignal.SIGXCPU && exit.Fault is null;
        return new GuestRun(stdout.ToArray(), stderr.ToArray(), exit.Status, limited, clock.Elapsed, exit.Reason, process.InstructionsRetired);
    }
}
