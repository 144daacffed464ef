using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using Akka.Actor;

namespace ActorVmm.Host.Bench;

/// <summary>
/// <c>actorvmm bench checkpoint</c>: a scenario run without checkpoints and with them,
/// interleaved (best wall time of each), what each checkpoint cost to store (full, the VM's
/// first, and incremental), the bytes stored against the pages captured, and the time to read
/// a VM's last checkpoint back whole (recovery of its history, the read journal, every page
/// checked) in a new actor system.
/// </summary>
public static class CheckpointBenchmark
{
    public static int Run(string scenarioPath, long every, int repeat, TextWriter output)
    {
        var baseSettings = ScenarioLoader.LoadFile(scenarioPath, Commands.RunCommand.ResolveKernel);
        string root = Path.Combine(Path.GetTempPath(), $"actorvmm-bench-checkpoint-{Environment.ProcessId}");
        try
        {
            var plain = baseSettings with { Trace = baseSettings.Trace with { Enabled = false }, Output = baseSettings.Output with { Directory = Path.Combine(root, "plain") } };
            var checkpointed = plain with
            {
                Output = plain.Output with { Directory = Path.Combine(root, "checkpointed") },
                Checkpoint = new CheckpointSettings(every, CheckpointStoreKind.Sqlite, "", Resume: false),
            };
            double bestPlain = double.MaxValue, bestCheckpointed = double.MaxValue;
            Observer? last = null;
            for (int i = 0; i < repeat + 1; i++)
            {
                // Interleaved, so both see the same machine load; the first pair warms up (JIT, SQLite).
                var clock = Stopwatch.StartNew();
                MonitorRun.Execute(plain, SilentConsole.Instance);
                double a = clock.Elapsed.TotalMilliseconds;
                // A new store each time (a deleted file could still be open in SQLite's connection pool).
                checkpointed = checkpointed with { Output = checkpointed.Output with { Directory = Path.Combine(root, $"checkpointed-{i}") } };
                var observer = new Observer();
                clock.Restart();
                var run = MonitorRun.Execute(checkpointed, SilentConsole.Instance, observer: observer);
                double b = clock.Elapsed.TotalMilliseconds;
                if (run.Result.Vms.FirstOrDefault(v => v.FailureReason is not null) is { } failed)
                {
                    throw new InvalidOperationException($"{failed.Name} failed in the run with checkpoints: {failed.FailureReason}");
                }

                if (i > 0)
                {
                    bestPlain = Math.Min(bestPlain, a);
                    bestCheckpointed = Math.Min(bestCheckpointed, b);
                    last = observer;
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{baseSettings.ScenarioName}: {baseSettings.Vms.Count} VMs, a checkpoint every {every:N0} cycles, best of {repeat} interleaved runs"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  wall time            without {bestPlain,8:F0} ms, with {bestCheckpointed,8:F0} ms: cost {(bestCheckpointed / bestPlain) - 1:P0}"));
            foreach (var (vm, saves) in last!.Saves.GroupBy(s => s.Vm).Select(g => (g.Key, g.Select(s => s.Saved).OrderBy(s => s.Number).ToList())))
            {
                var full = saves[0];
                var incremental = saves.Skip(1).ToList();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {vm,-12} full: {full.Milliseconds,6:F1} ms, {full.Bytes / 1024.0,8:F0} KB ({full.NewPages} pages new, {full.SharedPages} shared)"));
                if (incremental.Count > 0)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {"",-12} incremental x{incremental.Count}: median {Median(incremental.Select(s => s.Milliseconds)),6:F1} ms, max {incremental.Max(s => s.Milliseconds),6:F1} ms, median {Median(incremental.Select(s => (double)s.Bytes)) / 1024,6:F0} KB ({Median(incremental.Select(s => (double)s.NewPages)):F0} pages new, {Median(incremental.Select(s => (double)s.SharedPages)):F0} shared)"));
                }

                long stored = saves.Sum(s => s.Bytes);
                long captured = saves.Sum(s => (long)(s.NewPages + s.SharedPages)) * 4096;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {"",-12} stored {stored / 1024.0,8:F0} KB for {captured / 1024.0,8:F0} KB of captured pages"));
            }

            long file = new FileInfo(Path.Combine(checkpointed.Output.Directory, CheckpointStore.DefaultSqliteFile)).Length;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  SQLite file          {file / 1024.0:F0} KB"));
            MeasureRestore(checkpointed, repeat, output);
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Each VM's last checkpoint read back whole in a new actor system (its first SQL use warmed up by an earlier VM's).</summary>
    private static void MeasureRestore(MonitorSettings settings, int repeat, TextWriter output)
    {
        var system = ActorSystem.Create("bench", CheckpointStore.Around(MonitorRun.AkkaSettings.Config, settings.Checkpoint, settings.Output.Directory));
        try
        {
            var index = new PageIndex();
            for (int round = 0; round <= repeat; round++)
            {
                foreach (var vm in settings.Vms)
                {
                    string id = VmCheckpoints.PersistenceIdOf(settings.ScenarioName, vm.Id, vm.Name);
                    var clock = Stopwatch.StartNew();
                    var history = system.ActorOf(Props.Create(() => new VmCheckpoints(vm.Id, id, index)));
                    var reply = history.Ask(new CheckpointProtocol.LoadCheckpoint(vm.Id, 0), TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
                    double ms = clock.Elapsed.TotalMilliseconds;
                    system.Stop(history);
                    if (round == repeat)
                    {
                        output.WriteLine(reply is CheckpointProtocol.CheckpointLoaded loaded
                            ? string.Create(CultureInfo.InvariantCulture, $"  restore {vm.Name,-12} checkpoint {loaded.Number}: {ms,6:F1} ms ({loaded.Pages.Length} pages, every one checked against its id)")
                            : $"  restore {vm.Name,-12} failed: {reply}");
                    }
                }
            }
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private sealed class Observer : IRunObserver
    {
        public ConcurrentBag<(string Vm, CheckpointProtocol.CheckpointSaved Saved)> Saves { get; } = new();

        public void Progress(RunProgress progress)
        {
        }

        public void CheckpointSaved(string vm, CheckpointProtocol.CheckpointSaved saved) => Saves.Add((vm, saved));
    }
}
