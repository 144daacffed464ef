namespace ActorVmm.Host.Progress;

/// <summary>
/// Aggregate guest MIPS from successive (wall time, guest instructions) samples: over the
/// whole run, and over the most recent second of samples.
/// </summary>
public sealed class RateMeter(TimeSpan window)
{
    private readonly Queue<(TimeSpan Wall, long Instructions)> _samples = new();

    public RateMeter()
        : this(TimeSpan.FromSeconds(1))
    {
    }

    /// <summary>Guest instructions per wall-clock microsecond since the run started.</summary>
    public double OverallMips { get; private set; }

    /// <summary>The same over the last <c>window</c> of samples (or between the last two, if they are further apart); NaN until there are two.</summary>
    public double RecentMips { get; private set; } = double.NaN;

    public void Add(TimeSpan wall, long instructions)
    {
        if (_samples.Count > 0 && wall <= _samples.Last().Wall)
        {
            return; // the same epoch boundary seen again
        }

        _samples.Enqueue((wall, instructions));
        // Keep exactly one sample at or before the window's start, so the rate spans a full window.
        while (_samples.Count > 2 && _samples.ElementAt(1).Wall <= wall - window)
        {
            _samples.Dequeue();
        }

        OverallMips = wall > TimeSpan.Zero ? instructions / wall.TotalMicroseconds : 0;
        if (_samples.Count >= 2)
        {
            var first = _samples.Peek();
            RecentMips = (instructions - first.Instructions) / (wall - first.Wall).TotalMicroseconds;
        }
    }
}
