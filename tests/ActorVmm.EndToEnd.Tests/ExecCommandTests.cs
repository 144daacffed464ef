using System.Diagnostics;
using ActorVmm.EndToEnd.Tests.Harness;

namespace ActorVmm.EndToEnd.Tests;

/// <summary>
/// The actorvmm command as a user runs it, in a process of its own: exec and boot refuse a
/// path that is not a program before reading it (issue 10).
/// </summary>
public sealed class ExecCommandTests
{
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
