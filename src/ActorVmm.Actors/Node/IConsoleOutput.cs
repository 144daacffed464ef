namespace ActorVmm.Actors;

/// <summary>Where VM consoles are shown as they run: each complete line, as the guest's bytes (no newline).</summary>
public interface IConsoleOutput
{
    void Line(string vmName, ReadOnlySpan<byte> text);
}

/// <summary>Consoles are only kept for the report, not shown.</summary>
public sealed class SilentConsole : IConsoleOutput
{
    public static SilentConsole Instance { get; } = new();

    public void Line(string vmName, ReadOnlySpan<byte> text)
    {
    }
}
