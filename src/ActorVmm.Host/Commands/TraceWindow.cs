using System.Globalization;
using ActorVmm.Analysis;

namespace ActorVmm.Host.Commands;

/// <summary>Reads <c>--time</c>, <c>--vm</c>, <c>--from</c> and <c>--to</c> into a <see cref="TraceFilter"/>.</summary>
public static class TraceWindow
{
    /// <summary>The filter, or a one-line message naming the bad option.</summary>
    public static (TraceFilter? Filter, string? Error) Parse(string time, int[] vms, string? from, string? to)
    {
        TimeAxis axis;
        switch (time)
        {
            case "wall":
                axis = TimeAxis.Wall;
                break;
            case "cycles":
                axis = TimeAxis.Cycles;
                break;
            default:
                return (null, $"--time {time}: expected wall or cycles");
        }

        long? start = null, end = null;
        foreach (var (name, text) in new[] { ("--from", from), ("--to", to) })
        {
            if (text is null)
            {
                continue;
            }

            if (!TryParse(text, axis, out long value))
            {
                return (null, $"{name} {text}: {Expected(axis)}");
            }

            if (name == "--from")
            {
                start = value;
            }
            else
            {
                end = value;
            }
        }

        if (start > end)
        {
            return (null, $"--from {from} is after --to {to}");
        }

        return (new TraceFilter(vms.ToHashSet(), axis, start, end), null);
    }

    private static string Expected(TimeAxis axis) => axis == TimeAxis.Wall
        ? "expected a time since the run's start, such as 1.5s, 250ms, 800us or 120000ns (a bare number is seconds)"
        : "expected a simulated cycle, such as 2000000, 2M, 500K or 1.5G";

    /// <summary>Wall: nanoseconds since the run's start; cycles: a cycle number.</summary>
    public static bool TryParse(string text, TimeAxis axis, out long value)
    {
        value = 0;
        text = text.Trim();
        (string Suffix, double Scale)[] units = axis == TimeAxis.Wall
            ? [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("", 1e9)]
            : [("K", 1e3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("", 1)];
        foreach (var (suffix, scale) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                && number >= 0 && number * scale < long.MaxValue)
            {
                value = (long)Math.Round(number * scale);
                return true;
            }
        }

        return false;
    }
}
