using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>
/// What a checkpoint takes from a running VM between two dispatches: its state, and a copy of
/// its pages: all of them (<paramref name="Full"/>, the VM's first checkpoint) or only those
/// written since its last checkpoint, as dirty tracking found them.
/// </summary>
public sealed record CheckpointCapture(VmState State, IReadOnlyList<GuestPageImage> Pages, bool Full);
