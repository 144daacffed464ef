using System.Diagnostics;

namespace ActorVmm.Host.Cluster;

/// <summary>A node started by a run stops when that run's process is gone, however it went (killed included).</summary>
public static class ParentWatch
{
    public static void Start(int parentPid, Action parentGone)
    {
        var thread = new Thread(() =>
        {
            while (Alive(parentPid))
            {
                Thread.Sleep(250);
            }

            parentGone();
        })
        {
            IsBackground = true,
            Name = "actorvmm parent watch",
        };
        thread.Start();
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
