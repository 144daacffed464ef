using System.Collections.Concurrent;

namespace ActorVmm.Actors.Tests.Support;

/// <summary>An <see cref="IConsoleOutput"/> that keeps the lines it is given, in order.</summary>
internal sealed class CapturingConsole : IConsoleOutput
{
    private readonly ConcurrentQueue<(string Vm, string Text)> _lines = new();

    public IReadOnlyList<(string Vm, string Text)> Lines => _lines.ToArray();

    public void Line(string vmName, ReadOnlySpan<byte> text) => _lines.Enqueue((vmName, System.Text.Encoding.Latin1.GetString(text)));
}
