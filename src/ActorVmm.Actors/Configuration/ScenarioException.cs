namespace ActorVmm.Actors.Configuration;

/// <summary>A scenario that cannot be run; the message names the file, the key and the problem.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string message)
        : base(message)
    {
    }

    /// <summary>An unexpected failure while reading, reported as one line; <paramref name="inner"/> says what it was.</summary>
    public ScenarioException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
