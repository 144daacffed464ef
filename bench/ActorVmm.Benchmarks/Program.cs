using System.Diagnostics;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Exec;
using BenchmarkDotNet.Running;

namespace ActorVmm.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--check"])
        {
            return Check();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    /// <summary>
    /// Every guest on the bare board in both delivery modes must print what it prints under
    /// exec and exit with the same status; a quick one-run MIPS figure for each.
    /// </summary>
    private static int Check()
    {
        int failures = 0;
        foreach (var guest in GuestProgram.Available)
        {
            using var stdout = new MemoryStream();
            using var process = new LinuxProcess(guest.Load(), [Path.GetFileName(guest.Path), .. guest.Arguments], stdout, Stream.Null);
            var exit = process.Run();
            string expected = System.Text.Encoding.UTF8.GetString(stdout.ToArray());
            Console.WriteLine($"{guest.Name}: exec {process.InstructionsRetired:N0} instructions, status {exit.Status}");
            using var board = new BareUserBoard(guest);
            foreach (var delivery in new[] { DeliveryMode.Native, DeliveryMode.Host })
            {
                foreach (long budget in new long[] { 1_000, 1 << 20 })
                {
                    var clock = Stopwatch.StartNew();
                    long retired = board.Run(delivery, budget, out int status);
                    clock.Stop();
                    bool same = status == exit.Status && board.Output == expected;
                    failures += same ? 0 : 1;
                    Console.WriteLine($"  {delivery,-6} budget {budget,9:N0}: {retired:N0} instructions, status {status}, {retired / clock.Elapsed.TotalSeconds / 1e6:F0} MIPS{(same ? "" : "  OUTPUT OR STATUS DIFFERS FROM exec")}");
                }
            }
        }

        return failures == 0 ? 0 : 1;
    }
}
