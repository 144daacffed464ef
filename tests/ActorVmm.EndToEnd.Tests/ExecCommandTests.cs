using System.Diagnostics;
using ActorVmm.EndToEnd.Tests.Harness;

namespace ActorVmm.EndToEnd.Tests;

/// <summary>
/// The actorvmm command as a user runs it, in a process of its own: exec and boot refuse a
/// path that is not a program before reading it, and what a guest writes reaches exec's
/// stdout when the guest writes it, so that killing exec (timeout, ^C) loses nothing, as with
/// qemu-mipsel (issue 10).
/// </summary>
[Collection(GuestsCollection.Name)]
public sealed class ExecCommandTests(GuestBuildFixture guests)
{
    /// <summary>Long enough for a loaded machine to start .NET and the guest; a buffered line never comes.</summary>
    private static readonly TimeSpan LineDeadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("exec", 126)]
    [InlineData("boot", 2)]
    public void A_device_given_as_the_program_is_refused_before_it_is_read(string command, int status)
    {
        using var process = Start(Actorvmm(command, "/dev/zero"));
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(
            $"actorvmm {command}: cannot read /dev/zero: it is empty or not a regular file (a device, a pipe): an ELF executable is a regular file\n",
            stderr);
        Assert.Equal("", stdout);
        Assert.Equal(status, process.ExitCode);
    }

    [Fact]
    public void A_line_the_guest_wrote_is_out_when_exec_is_killed_as_under_qemu()
    {
        GuestToolchain.RequireTools();
        string elf = guests.ProgramPath("conformance/write_then_spin-O2.elf");
        var qemu = new ProcessStartInfo("qemu-mipsel") { ArgumentList = { "-cpu", "24Kc", elf, "spin" } };

        Assert.Equal("written before spinning", FirstLineThenKill(qemu));
        Assert.Equal("written before spinning", FirstLineThenKill(Actorvmm("exec", elf, "spin")));
    }

    /// <summary>The first line the process prints while it still runs; then it is killed.</summary>
    private static string FirstLineThenKill(ProcessStartInfo start)
    {
        using var process = Start(start);
        try
        {
            var line = process.StandardOutput.ReadLineAsync();
            Assert.True(line.Wait(LineDeadline), $"{start.FileName} printed no line within {LineDeadline.TotalSeconds} s although the guest wrote one at its start");
            Assert.False(process.HasExited, $"{start.FileName} ended (status {(process.HasExited ? process.ExitCode : 0)}) instead of spinning");
            return line.Result ?? "(end of output)";
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>The built actorvmm beside the tests, run by the same dotnet that runs them.</summary>
    private static ProcessStartInfo Actorvmm(params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { ArgumentList = { typeof(ActorVmm.Host.Program).Assembly.Location } };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // Should reading /dev/zero whole come back, fail at 512 MB instead of taking the machine's memory.
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x20000000";
        return start;
    }

    private static Process Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = RepoRoot.Path;
        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
    }
}
