using System.Diagnostics;

namespace ActorVmm.EndToEnd.Tests.Harness;

/// <summary>Programs the end-to-end tests run as processes of their own: actorvmm itself, or an oracle such as qemu-mipsel.</summary>
public static class HostProcess
{
    /// <summary>The built actorvmm beside the tests, run by the same dotnet that runs them.</summary>
    public static ProcessStartInfo Actorvmm(params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { ArgumentList = { typeof(ActorVmm.Host.Program).Assembly.Location } };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    /// <summary>Start it in the repository, its standard streams redirected to the test.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = RepoRoot.Path;
        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
    }
}
