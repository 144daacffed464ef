namespace ActorVmm.Monitor;

/// <summary>Bytes that are not a VM state this build can restore: another format version, cut short, or corrupt.</summary>
public sealed class StateFormatException(string message) : Exception(message);
