namespace ActorVmm.EndToEnd.Tests.NativeKernel;

/// <summary>
/// The user programs' results computed in C#, from the algorithms documented in their
/// sources, independently of the MIPS code and the kernel.
/// </summary>
public static class Oracles
{
    private const string CcAlphabet = "abcdefgh ijk(){};=+\n";

    /// <summary>guests/kernel/programs/cc.c: the line a job prints and its exit status.</summary>
    public static (string Line, int Status) CcJob(int wave, int job)
    {
        int lines = 48 + ((wave * 37) + (job * 11)) % 80;
        int size = lines * 64;
        uint seed = unchecked((uint)((wave * 1000) + job) * 2654435761u + 1u);
        uint hash = 2166136261u;
        int statements = 0;
        for (int i = 0; i < size; i++)
        {
            seed = unchecked((seed * 1103515245u) + 12345u);
            char c = CcAlphabet[(int)((seed >> 16) % 20)];
            hash = unchecked((hash ^ c) * 16777619u);
            if (c == ';')
            {
                statements++;
            }
        }

        return ($"cc {wave}.{job:00}: {lines} lines, {statements} statements, hash {hash:x8}", (int)(hash >> 25));
    }

    /// <summary>guests/kernel/programs/pmake.c: every line it and its cc jobs print, in no particular order.</summary>
    public static (List<string> JobLines, List<string> PmakeLines) Pmake(int waves, int jobs)
    {
        var jobLines = new List<string>();
        var pmake = new List<string> { $"pmake: {waves} waves of {jobs} jobs" };
        long total = 0;
        for (int w = 1; w <= waves; w++)
        {
            int sum = 0;
            for (int j = 1; j <= jobs; j++)
            {
                var (line, status) = CcJob(w, j);
                jobLines.Add(line);
                sum += status;
            }

            total += sum;
            pmake.Add($"pmake: wave {w}: {jobs} jobs, status sum {sum}");
        }

        pmake.Add($"pmake: {waves * jobs} jobs in {waves} waves, 0 failed, status total {total}");
        return (jobLines, pmake);
    }

    /// <summary>guests/kernel/programs/preempt.c: the lines one worker prints.</summary>
    public static List<string> PreemptWorker(char letter, int steps)
    {
        var lines = new List<string>();
        uint x = letter;
        for (int s = 1; s <= steps; s++)
        {
            for (int i = 0; i < 30000; i++)
            {
                x = unchecked((x * 1664525u) + 1013904223u + (x >> 13));
            }

            lines.Add($"preempt: worker {letter} step {s} of {steps} ({x:x8})");
        }

        return lines;
    }

    /// <summary>guests/kernel/programs/sleeper.c.</summary>
    public static string Sleeper(int naps, int ticks) =>
        string.Concat(Enumerable.Range(1, naps).Select(i => $"sleeper: nap {i} of {naps} done\n"))
        + $"sleeper: {naps} naps of {ticks} ticks, 0 woke early\n";

    /// <summary>guests/kernel/programs/syscalls.c: the system calls it makes, exit_group included.</summary>
    public static long SyscallsMade(int getpids, int writes, int yields) => 1 + getpids + yields + writes + 1 + 1;
}
