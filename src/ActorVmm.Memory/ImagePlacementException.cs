namespace ActorVmm.Memory;

/// <summary>A guest image cannot be placed in its VM's memory (a page outside the VM, or no machine page left).</summary>
public sealed class ImagePlacementException(string message) : Exception(message);
