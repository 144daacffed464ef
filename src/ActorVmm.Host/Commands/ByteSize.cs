using System.Globalization;

namespace ActorVmm.Host.Commands;

/// <summary>Sizes as users write them: 16M, 16MB, 512K, 1G, or plain bytes.</summary>
public static class ByteSize
{
    public static bool TryParse(string text, out ulong bytes)
    {
        bytes = 0;
        string t = text.Trim().ToUpperInvariant();
        if (t.EndsWith('B') && t.Length > 1 && !char.IsDigit(t[^2]))
        {
            t = t[..^1];
        }

        ulong scale = 1;
        if (t.Length > 0 && "KMG".Contains(t[^1]))
        {
            scale = t[^1] switch { 'K' => 1UL << 10, 'M' => 1UL << 20, _ => 1UL << 30 };
            t = t[..^1];
        }

        if (t.EndsWith('B'))
        {
            t = t[..^1];
        }

        if (!ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) || value > ulong.MaxValue / scale)
        {
            return false;
        }

        bytes = value * scale;
        return true;
    }
}
