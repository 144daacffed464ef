using ActorVmm.Actors.Configuration;

namespace ActorVmm.Host.Commands;

/// <summary>
/// A run's output directory: checked before the run starts (a run must not end by losing its
/// report), cleared of the previous run's report and traces (so none of them can be mistaken
/// for this run's), and written atomically (a report is whole or absent, never half).
/// </summary>
public static class OutputDirectory
{
    public const string ReportFile = "report.json";

    /// <summary>Create the directory, prove it writable, remove the last run's outputs; null, or what is wrong with it.</summary>
    public static string? Prepare(MonitorSettings settings)
    {
        string directory = settings.Output.Directory;
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".actorvmm-write-check-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            File.Delete(Path.Combine(directory, ReportFile));
            string trace = Path.GetFileNameWithoutExtension(settings.Trace.File);
            foreach (string stale in Directory.EnumerateFiles(Path.Combine(directory, Path.GetDirectoryName(settings.Trace.File) ?? ""), trace + "*" + Path.GetExtension(settings.Trace.File)))
            {
                File.Delete(stale);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"output.directory {directory} cannot be written ({e.Message}); the run would lose its report and trace: give another with --output";
        }
    }

    /// <summary>Write <paramref name="path"/> through a temporary file and a rename, so a reader never sees it half written.</summary>
    public static void WriteAtomically(string path, string contents)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, contents);
        File.Move(temporary, path, overwrite: true);
    }
}
