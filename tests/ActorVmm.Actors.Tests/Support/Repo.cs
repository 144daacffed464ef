namespace ActorVmm.Actors.Tests.Support;

/// <summary>Files of the repository the specs use (the committed guest kernel).</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    /// <summary>The committed guest kernel, guests/bin/kernel.elf.</summary>
    public static string KernelPath => Path.Combine(Root, "guests", "bin", "kernel.elf");

    /// <summary>A static user program: a valid ELF that does not satisfy the kernel boot contract.</summary>
    public static string UserProgramPath => Path.Combine(Root, "guests", "bin", "hello.elf");

    /// <summary>ACTORVMM_REPO if set, else the first directory above the test binaries with ActorVmm.sln and guests/bin/kernel.elf.</summary>
    private static string FindRoot()
    {
        string? forced = Environment.GetEnvironmentVariable("ACTORVMM_REPO");
        if (!string.IsNullOrEmpty(forced))
        {
            return forced;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorVmm.sln")) && File.Exists(Path.Combine(dir.FullName, "guests", "bin", "kernel.elf")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ActorVmm.sln with guests/bin/kernel.elf above {AppContext.BaseDirectory}");
    }
}
