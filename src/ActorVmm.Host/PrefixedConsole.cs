using ActorVmm.Actors;

namespace ActorVmm.Host;

/// <summary>
/// VM console lines on stdout, each labelled with its VM's name. The guest's bytes go out as
/// they are, as `boot` writes them: a byte above 0x7F is not re-encoded.
/// </summary>
public sealed class PrefixedConsole(IEnumerable<string> names) : IConsoleOutput
{
    private readonly int _width = names.Select(n => n.Length).DefaultIfEmpty(4).Max();
    private readonly object _lock = new();
    private readonly Stream _stdout = Console.OpenStandardOutput();

    public void Line(string vmName, ReadOnlySpan<byte> text)
    {
        byte[] prefix = System.Text.Encoding.UTF8.GetBytes($"[{vmName.PadRight(_width)}] ");
        lock (_lock)
        {
            // Text written through Console.Out before this line must come first.
            Console.Out.Flush();
            // One write per line: a process killed mid-run leaves whole lines on its stdout.
            byte[] line = new byte[prefix.Length + text.Length + 1];
            prefix.CopyTo(line, 0);
            text.CopyTo(line.AsSpan(prefix.Length));
            line[^1] = (byte)'\n';
            _stdout.Write(line);
            _stdout.Flush();
        }
    }
}
