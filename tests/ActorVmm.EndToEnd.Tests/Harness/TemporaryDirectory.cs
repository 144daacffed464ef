namespace ActorVmm.EndToEnd.Tests.Harness;

/// <summary>A directory of its own under the system's temporary directory, removed with everything in it when disposed.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("actorvmm-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the system's temporary directory is cleaned later.
        }
    }
}
