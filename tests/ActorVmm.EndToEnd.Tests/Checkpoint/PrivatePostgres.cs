using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ActorVmm.EndToEnd.Tests.Checkpoint;

/// <summary>
/// A PostgreSQL 15 server of the tests' own: a cluster made by initdb in a temporary
/// directory, started by pg_ctl on a free loopback port (trust authentication, no socket
/// outside that directory), stopped and removed on Dispose, also when a test failed. As root
/// (CI), the server runs as the postgres user, since initdb refuses root. test.sh installs
/// the Debian package.
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    public const string Binaries = "/usr/lib/postgresql/15/bin";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorvmm-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly string _data;
    private bool _started;

    public PrivatePostgres()
    {
        if (!File.Exists(Path.Combine(Binaries, "pg_ctl")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Binaries}/pg_ctl is missing): ./test.sh installs the postgresql package");
        }

        _data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(_directory);
        if (Environment.UserName == "root")
        {
            Run("chown", ["-R", "postgres:postgres", _directory], asPostgres: false);
        }

        Port = FreePort();
        Run(Path.Combine(Binaries, "initdb"), ["-D", _data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        _started = true;
        Run(Path.Combine(Binaries, "pg_ctl"), ["-D", _data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]);
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=postgres;Username=postgres";

    public void Dispose()
    {
        try
        {
            if (_started)
            {
                Run(Path.Combine(Binaries, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "-t", "60", "stop"]);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void Run(string program, string[] arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo(asPostgres && Environment.UserName == "root" ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (start.FileName == "runuser")
        {
            foreach (string a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not end within 2 minutes");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with status {process.ExitCode}: {stdout.Result}{stderr.Result}");
        }
    }
}
