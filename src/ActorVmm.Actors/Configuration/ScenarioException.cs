namespace ActorVmm.Actors.Configuration;

/// <summary>A scenario that cannot be run; the message names the file, the key and the problem.</summary>
public sealed class ScenarioException(string message) : Exception(message);
