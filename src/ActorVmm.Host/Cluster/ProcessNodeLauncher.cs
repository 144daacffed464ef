using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using ActorVmm.Actors;

namespace ActorVmm.Host.Cluster;

/// <summary>
/// The other nodes of `run --nodes N` as child processes of this same binary (`actorvmm node`).
/// Each child watches this process and stops when it is gone, so no node outlives its run even
/// when the run is killed; disposing asks them to end and kills any that has not within a few
/// seconds.
/// </summary>
public sealed class ProcessNodeLauncher(string? logLevel = null) : INodeLauncher
{
    private static readonly TimeSpan GracefulExit = TimeSpan.FromSeconds(15);
    private readonly List<Process> _children = new();

    public IReadOnlyList<Process> Children => _children;

    public Task LaunchAsync(ClusterNodeOptions options)
    {
        var start = SelfCommand();
        start.ArgumentList.Add("node");
        Add(start, "--name", options.Name);
        Add(start, "--host", options.Host);
        Add(start, "--port", options.Port.ToString(CultureInfo.InvariantCulture));
        foreach (string seed in options.Seeds ?? [])
        {
            Add(start, "--seed", seed);
        }

        Add(start, "--physical-cpus", options.PhysicalCpus.ToString(CultureInfo.InvariantCulture));
        Add(start, "--machine-memory", $"{options.MachineMemoryBytes >> 20}M");
        if (options.TracePath is not null)
        {
            Add(start, "--trace", options.TracePath);
            Add(start, "--trace-scenario", options.TraceMetadata?.Scenario ?? "");
            Add(start, "--trace-stamp-every", (options.TraceMetadata?.StampEvery ?? ActorVmm.Monitor.Tracing.TraceMetadata.DefaultStampEvery).ToString(CultureInfo.InvariantCulture));
        }

        Add(start, "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (logLevel is not null)
        {
            Add(start, "--log-level", logLevel);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        lock (_children)
        {
            _children.Add(child);
        }

        // A child's own output is its log: passed on to this process's stderr, labelled.
        string label = $"[{options.Name}] ";
        child.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(label + e.Data); };
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(label + e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return Task.CompletedTask;
    }

    /// <summary>This binary: the apphost when there is one, else `dotnet actorvmm.dll`.</summary>
    public static ProcessStartInfo SelfCommand()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(process);
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        return start;
    }

    private static void Add(ProcessStartInfo start, string option, string value)
    {
        start.ArgumentList.Add(option);
        start.ArgumentList.Add(value);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children)
        {
            using var exited = new CancellationTokenSource(GracefulExit);
            try
            {
                await child.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                KillQuietly(child);
            }
        }

        foreach (var child in _children)
        {
            child.Dispose();
        }

        _children.Clear();
    }

    /// <summary>Kill every child now (the run is being interrupted).</summary>
    public void KillAll()
    {
        // Called from a signal handler while the run may still be starting nodes.
        Process[] children;
        lock (_children)
        {
            children = [.. _children];
        }

        foreach (var child in children)
        {
            KillQuietly(child);
        }
    }

    private static void KillQuietly(Process child)
    {
        try
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
