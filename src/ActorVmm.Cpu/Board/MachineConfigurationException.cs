namespace ActorVmm.Cpu.Board;

/// <summary>A machine or VM configuration the simulator cannot build; the message names the setting.</summary>
public sealed class MachineConfigurationException(string message) : Exception(message);
