using ActorVmm.Actors;

namespace ActorVmm.Host;

/// <summary>VM console lines on stdout, each labelled with its VM's name.</summary>
public sealed class PrefixedConsole(IEnumerable<string> names) : IConsoleOutput
{
    private readonly int _width = names.Select(n => n.Length).DefaultIfEmpty(4).Max();
    private readonly object _lock = new();

    public void Line(string vmName, string text)
    {
        lock (_lock)
        {
            Console.Out.WriteLine($"[{vmName.PadRight(_width)}] {text}");
        }
    }
}
