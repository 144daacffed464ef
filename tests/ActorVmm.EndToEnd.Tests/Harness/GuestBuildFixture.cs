namespace ActorVmm.EndToEnd.Tests.Harness;

/// <summary>
/// guests/ built once per test run (<c>make -C guests BUILD=tmp -j2 all</c>) into a temporary
/// directory, shared by every test in the <see cref="GuestsCollection"/> and deleted at the end.
/// The build happens on first use, so a missing toolchain fails each test with its message.
/// </summary>
public sealed class GuestBuildFixture : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"actorvmm-e2e-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly Lazy<string> _build;

    public GuestBuildFixture()
    {
        _build = new Lazy<string>(() =>
        {
            string build = Path.Combine(_root, "guests");
            Directory.CreateDirectory(build);
            GuestToolchain.BuildGuests(build);
            return build;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The BUILD directory: <c>libc/</c>, <c>conformance/</c>, <c>faults/</c>.</summary>
    public string BuildDirectory => _build.Value;

    /// <summary>A fresh scratch directory under this run's temporary root.</summary>
    public string ScratchDirectory(string name)
    {
        string dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string ProgramPath(string program) => Path.Combine(BuildDirectory, program);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GuestsCollection : ICollectionFixture<GuestBuildFixture>
{
    public const string Name = "Guests built with guests/Makefile";
}
