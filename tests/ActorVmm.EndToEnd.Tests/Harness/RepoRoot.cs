namespace ActorVmm.EndToEnd.Tests.Harness;

/// <summary>The repository checkout the tests run from: the directory holding ActorVmm.sln.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> Root = new(() =>
        Find(AppContext.BaseDirectory) ?? Find(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException(
            $"cannot find ActorVmm.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}: run the tests from the repository"));

    public static string Path => Root.Value;

    public static string Guests => System.IO.Path.Combine(Path, "guests");

    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ActorVmm.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
