using System.CommandLine;
using ActorVmm.Actors;
using ActorVmm.Host.Cluster;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Host.Commands;

/// <summary>
/// <c>actorvmm node --port P [--seed HOST:PORT]</c>: a node of the simulated multiprocessor that
/// joins a cluster and hosts VMs until it is stopped; Ctrl-C leaves gracefully (its VMs move to
/// the other nodes first).
/// </summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on (0: any free port).", DefaultValueFactory = _ => 0 };
        var host = new Option<string>("--host") { Description = "Address to listen on (loopback by default).", DefaultValueFactory = _ => "127.0.0.1" };
        var seeds = new Option<string[]>("--seed") { Description = "HOST:PORT of a node to join (repeatable); none: this node starts a cluster.", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "The node's name (node0 is the one that runs a scenario; default node@PORT)." };
        var memory = new Option<string>("--machine-memory") { Description = "The node's machine memory.", DefaultValueFactory = _ => "512M" };
        var cpus = new Option<int>("--physical-cpus") { Description = "The node's physical CPUs.", DefaultValueFactory = _ => 2 };
        var trace = new Option<string?>("--trace") { Description = "Write this node's message trace to FILE." };
        var traceScenario = new Option<string?>("--trace-scenario") { Hidden = true };
        var traceStampEvery = new Option<int>("--trace-stamp-every") { Hidden = true, DefaultValueFactory = _ => TraceMetadata.DefaultStampEvery };
        var parent = new Option<int?>("--parent-pid") { Description = "Stop when this process is gone (a run that started this node).", Hidden = true };
        var logLevel = new Option<string>("--log-level") { Description = "verbose, debug, info, warning or error.", DefaultValueFactory = _ => "warning" };
        var logJson = new Option<string?>("--log-json") { Description = "Also write the log to FILE as JSON lines." };
        var command = new Command("node", "Start a node that joins a cluster and hosts VMs until stopped (Ctrl-C leaves gracefully).")
        {
            port, host, seeds, name, memory, cpus, trace, traceScenario, traceStampEvery, parent, logLevel, logJson,
        };
        command.SetAction(parse =>
        {
            string level = parse.GetValue(logLevel)!;
            if (!HostLogging.Levels.Contains(level))
            {
                Console.Error.WriteLine($"actorvmm node: --log-level {level}: expected one of {string.Join(", ", HostLogging.Levels)}");
                return 2;
            }

            if (!ByteSize.TryParse(parse.GetValue(memory)!, out ulong bytes) || bytes < (1UL << 20))
            {
                Console.Error.WriteLine($"actorvmm node: --machine-memory {parse.GetValue(memory)}: expected a size such as 512M");
                return 2;
            }

            int physicalCpus = parse.GetValue(cpus);
            if (physicalCpus is < 1 or > 64)
            {
                Console.Error.WriteLine("actorvmm node: --physical-cpus takes 1 to 64");
                return 2;
            }

            string overrides = HostLogging.Configure(level, parse.GetValue(logJson));
            int listen = parse.GetValue(port);
            string? tracePath = parse.GetValue(trace);
            string nodeName = parse.GetValue(name) ?? $"node@{listen}";
            var options = new ClusterNodeOptions(
                nodeName,
                physicalCpus,
                bytes,
                parse.GetValue(host)!,
                listen,
                parse.GetValue(seeds) ?? [],
                tracePath,
                tracePath is null ? null : new TraceMetadata(parse.GetValue(traceScenario) ?? "", physicalCpus, new Dictionary<int, string>(), nodeName, Math.Clamp(parse.GetValue(traceStampEvery), 1, 1_000_000)),
                overrides);
            return Run(options, parse.GetValue(parent));
        });
        return command;
    }

    private static int Run(ClusterNodeOptions options, int? parentPid)
    {
        ClusterNode node;
        try
        {
            node = ClusterNode.StartAsync(options).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Cpu.Board.MachineConfigurationException or Akka.Remote.Transport.InvalidAssociationException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"actorvmm node: {e.Message}");
            return 2;
        }

        Serilog.Log.Information("node {Node} listening on {Endpoint}", node.Name, node.Endpoint);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // leave gracefully rather than die
            _ = node.Leave();
        };
        if (parentPid is { } pid)
        {
            ParentWatch.Start(pid, () =>
            {
                // Nobody is left to ask for a graceful leave; a node that cannot stop in time
                // must not outlive its run all the same.
                if (!node.Stop().Wait(TimeSpan.FromSeconds(10)))
                {
                    Environment.Exit(3);
                }
            });
        }

        node.Terminated.Wait();
        node.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        Serilog.Log.CloseAndFlush();
        return 0;
    }
}
