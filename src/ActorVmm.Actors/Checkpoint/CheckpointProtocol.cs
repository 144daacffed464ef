using System.Collections.Immutable;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor;

namespace ActorVmm.Actors;

/// <summary>
/// Messages of a VM's checkpoints: the root asks a GuestVm for one at an epoch boundary, the
/// GuestVm hands the capture to its <see cref="VmCheckpoints"/> (a persistent child), and
/// what is stored: the events and the snapshot of the VM's history in the journal.
/// </summary>
public static class CheckpointProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>What is stored in the journal and the snapshot store: bound to the same serializer, never to JSON.</summary>
    public interface IStored : IMessage
    {
    }

    /// <summary>How a GuestVm starts with its checkpoints.</summary>
    public enum OpenMode : byte
    {
        /// <summary>A new run: the VM's checkpoints of an earlier run of the scenario are forgotten first.</summary>
        Fresh,

        /// <summary>Continue from the VM's last checkpoint (a resumed run).</summary>
        Resume,
    }

    /// <summary>
    /// Root → GuestVm at an epoch boundary (nothing runs): capture the VM now. Replied with
    /// <see cref="CheckpointTaken"/> as soon as the capture is a copy (the next epoch may
    /// start); storing it goes on while the VM runs.
    /// </summary>
    public sealed record TakeCheckpoint(int Vm, long Epoch, long Cycle) : IMessage;

    /// <param name="Taken">False when the VM is not running (finished, failed, moving): nothing was captured.</param>
    public sealed record CheckpointTaken(int Vm, bool Taken) : IMessage;

    /// <summary>
    /// GuestVm → its checkpoints, first: replied with <see cref="CheckpointsOpened"/> (Fresh),
    /// or for Resume with <see cref="CheckpointLoaded"/>, <see cref="NoCheckpoint"/>,
    /// <see cref="EndedBefore"/> or <see cref="LoadFailed"/>.
    /// </summary>
    public sealed record OpenCheckpoints(int Vm, OpenMode Mode) : IMessage;

    public sealed record CheckpointsOpened(int Vm) : IMessage;

    /// <summary>
    /// GuestVm → its checkpoints: store this capture as the VM's next checkpoint: its encoded
    /// state (<see cref="VmStateCodec"/>) and every page when <paramref name="Full"/>, else
    /// the pages written since the last one. Replied with <see cref="CheckpointSaved"/> once
    /// it is durable, or <see cref="CheckpointFailed"/>.
    /// </summary>
    public sealed record SaveCheckpoint(int Vm, long Epoch, long Cycle, long Instructions, ImmutableArray<byte> State, ImmutableArray<GuestPageImage> Pages, bool Full) : IMessage;

    /// <param name="Bytes">What this checkpoint added to the store: its state, manifest and new pages.</param>
    /// <param name="NewPages">Captured pages whose content the store did not hold: stored now.</param>
    /// <param name="SharedPages">Captured pages whose content was already stored (by this VM or another): referenced.</param>
    public sealed record CheckpointSaved(int Vm, int Number, long Bytes, int NewPages, int SharedPages, double Milliseconds) : IMessage;

    /// <summary>The store could not take a checkpoint (unreachable, a failing journal, a rejected write): the VM stops, saying why.</summary>
    public sealed record CheckpointFailed(int Vm, string Reason) : IMessage;

    /// <summary>Load checkpoint <paramref name="Number"/> (0: the last one); replied like a Resume <see cref="OpenCheckpoints"/>.</summary>
    public sealed record LoadCheckpoint(int Vm, int Number) : IMessage;

    /// <summary>A checkpoint read back whole: its state checked and every page checked against its content id.</summary>
    public sealed record CheckpointLoaded(int Vm, int Number, ImmutableArray<byte> State, ImmutableArray<GuestPageImage> Pages) : IMessage;

    public sealed record NoCheckpoint(int Vm) : IMessage;

    /// <summary>The VM had already stopped in the run being resumed, its console <paramref name="ConsoleLength"/> bytes: it is reported, not run again.</summary>
    public sealed record EndedBefore(int Vm, MachineOutcome Outcome, long ConsoleLength) : IMessage;

    /// <summary>A checkpoint that cannot be restored (unreadable store, corrupt row, another format version): nothing of it was applied.</summary>
    public sealed record LoadFailed(int Vm, string Reason) : IMessage;

    /// <summary>GuestVm → its checkpoints: the VM has stopped, so a resumed run reports it instead of running it.</summary>
    /// <summary>Replied with <see cref="EndRecorded"/> once stored (or <see cref="CheckpointFailed"/>).</summary>
    public sealed record RecordEnd(int Vm, MachineOutcome Outcome, long ConsoleLength) : IMessage;

    public sealed record EndRecorded(int Vm) : IMessage;

    /// <summary>Replied with <see cref="CheckpointList"/>.</summary>
    public sealed record ListCheckpoints : IMessage;

    public sealed record CheckpointList(string PersistenceId, ImmutableArray<CheckpointInfo> Checkpoints, MachineOutcome? Ended) : IMessage;

    /// <summary>
    /// One checkpoint of a VM, as listed: its number (1, 2, ... in the VM's history), its
    /// sequence number in the VM's journal, the epoch it was taken after, the run's simulated
    /// cycle then and the VM's guest instructions, what it added to the store, and its pages.
    /// </summary>
    public sealed record CheckpointInfo(int Number, long SequenceNr, long Epoch, long Cycle, long Instructions, long Bytes, int Pages, int NewPages, int SharedPages) : IStored;

    /// <summary>
    /// The event of one checkpoint: the VM's encoded state, its manifest (every page of the VM
    /// by content, each with where its bytes are stored) and the bytes of the pages no earlier
    /// event holds. A page stored by this very event has <see cref="PageSource.ThisEvent"/>.
    /// </summary>
    public sealed record CheckpointRecorded(int Number, long Epoch, long Cycle, long Instructions, ImmutableArray<byte> State,
        ImmutableArray<PageRef> Manifest, ImmutableArray<StoredPage> NewPages, int SharedPages) : IStored;

    /// <summary>The event of a VM that stopped.</summary>
    public sealed record VmEnded(MachineOutcome Outcome, long ConsoleLength) : IStored;

    /// <summary>
    /// The snapshot of a VM's history (taken every few checkpoints, so recovery replays few
    /// events; an empty one forgets an earlier run): its checkpoints, the last one's state and
    /// manifest, and how it ended if it did.
    /// </summary>
    public sealed record CheckpointIndex(ImmutableArray<CheckpointInfo> Checkpoints, ImmutableArray<byte> State, ImmutableArray<PageRef> Manifest, VmEnded? Ended) : IStored;
}

/// <summary>Where a page's bytes are stored: in the event of journal <paramref name="PersistenceId"/> at <paramref name="SequenceNr"/>.</summary>
public readonly record struct PageSource(string PersistenceId, long SequenceNr)
{
    /// <summary>In a <see cref="CheckpointProtocol.CheckpointRecorded"/> being written: the event itself (its sequence number is known once it is stored).</summary>
    public static PageSource ThisEvent { get; } = new("", 0);

    public bool IsThisEvent => SequenceNr == 0;
}

/// <summary>A page of a checkpoint: its PPN, its content id, and where its bytes are.</summary>
public readonly record struct PageRef(Ppn Ppn, PageId Id, PageSource Source);
