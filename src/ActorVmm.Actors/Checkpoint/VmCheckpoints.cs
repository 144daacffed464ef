using System.Collections.Immutable;
using System.Diagnostics;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using static ActorVmm.Actors.CheckpointProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// A VM's checkpoints, as a persistent history in the journal (Akka.Persistence.Sql): one
/// <see cref="CheckpointRecorded"/> event per checkpoint, holding the VM's state, its manifest
/// (every page by content id, with the event that holds its bytes) and only the pages whose
/// content the store did not hold (<see cref="PageIndex"/>); a <see cref="VmEnded"/> event
/// once the VM stops; a <see cref="CheckpointIndex"/> snapshot every few checkpoints so that
/// recovery replays few events. Loading a checkpoint reads the events its manifest names
/// through the read journal and checks every page against its id before anything is handed
/// back, so a VM is restored whole or not at all. A store that fails is reported to the
/// GuestVm (its parent), which stops that VM only.
/// </summary>
public sealed class VmCheckpoints : UntypedPersistentActor
{
    private const int SnapshotEvery = 8;
    private const string ReadJournalId = "akka.persistence.query.journal.sql";

    private readonly int _vm;
    private readonly string _persistenceId;
    private readonly PageIndex _index;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ActorSystem _system = Context.System;
    private readonly string _store = Context.System.GetExtension<MonitorNode>()?.CheckpointStore ?? "the configured store";
    private ImmutableArray<CheckpointInfo> _checkpoints = [];
    private ImmutableArray<byte> _state = [];
    private ImmutableArray<PageRef> _manifest = [];
    private VmEnded? _ended;
    private IActorRef? _opening;

    /// <param name="persistenceId">The VM's history in the store: the scenario's name and the VM's (<see cref="PersistenceIdOf"/>).</param>
    public VmCheckpoints(int vm, string persistenceId, PageIndex index)
    {
        _vm = vm;
        _persistenceId = persistenceId;
        _index = index;
    }

    public override string PersistenceId => _persistenceId;

    public static string PersistenceIdOf(string scenario, int vm, string name) => $"{scenario}/vm{vm}/{name}";

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: CheckpointIndex index }:
                _checkpoints = index.Checkpoints;
                _state = index.State;
                _manifest = index.Manifest;
                _ended = index.Ended;
                break;
            case CheckpointRecorded recorded:
                Apply(recorded, LastSequenceNr);
                break;
            case VmEnded ended:
                _ended = ended;
                break;
            case RecoveryCompleted:
                foreach (var page in _manifest)
                {
                    _index.Add(page.Id, page.Source);
                }

                break;
        }
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Context.Parent.Tell(new LoadFailed(_vm, $"the checkpoint store ({_store}) cannot be read for {_persistenceId}: {Describe(reason)}"));
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Context.Parent.Tell(new CheckpointFailed(_vm, $"the checkpoint store ({_store}) failed to write for {_persistenceId}: {Describe(cause)}"));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Context.Parent.Tell(new CheckpointFailed(_vm, $"the checkpoint store ({_store}) refused a write for {_persistenceId}: {Describe(cause)}"));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case OpenCheckpoints { Mode: OpenMode.Fresh }:
                Forget();
                break;
            case OpenCheckpoints { Mode: OpenMode.Resume }:
                Load(0, resume: true);
                break;
            case LoadCheckpoint load:
                Load(load.Number, resume: false);
                break;
            case SaveCheckpoint save:
                Save(save);
                break;
            case RecordEnd end:
            {
                var asker = Sender;
                Persist(new VmEnded(end.Outcome, end.ConsoleLength), e =>
                {
                    _ended = e;
                    asker.Tell(new EndRecorded(_vm));
                });
                break;
            }
            case ListCheckpoints:
                Sender.Tell(new CheckpointList(_persistenceId, _checkpoints, _ended?.Outcome));
                break;
            case DeleteMessagesSuccess when _opening is not null:
                DeleteSnapshots(new SnapshotSelectionCriteria(long.MaxValue));
                break;
            case DeleteSnapshotsSuccess when _opening is not null:
                _opening.Tell(new CheckpointsOpened(_vm));
                _opening = null;
                break;
            case DeleteMessagesFailure f when _opening is not null:
                _opening.Tell(new CheckpointFailed(_vm, $"the VM's checkpoints of an earlier run cannot be removed ({_persistenceId}): {Describe(f.Cause)}"));
                _opening = null;
                break;
            case DeleteSnapshotsFailure f when _opening is not null:
                _opening.Tell(new CheckpointFailed(_vm, $"the VM's checkpoints of an earlier run cannot be removed ({_persistenceId}): {Describe(f.Cause)}"));
                _opening = null;
                break;
            case SaveSnapshotSuccess or DeleteMessagesSuccess or DeleteSnapshotsSuccess:
                break;
            case SaveSnapshotFailure f:
                // The events hold everything: only recovery gets slower.
                _log.Warning("VM {0}: a snapshot of its checkpoint history was not stored: {1}", _vm, Describe(f.Cause));
                break;
            case Loaded loaded:
                loaded.ReplyTo.Tell(loaded.Reply);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>A fresh run: the VM's history of an earlier run is removed; nothing refers to it any more.</summary>
    private void Forget()
    {
        _index.Forget(_persistenceId);
        _checkpoints = [];
        _state = [];
        _manifest = [];
        _ended = null;
        if (LastSequenceNr == 0)
        {
            Sender.Tell(new CheckpointsOpened(_vm));
            return;
        }

        _opening = Sender;
        DeleteMessages(LastSequenceNr);
    }

    private void Save(SaveCheckpoint save)
    {
        var clock = Stopwatch.StartNew();
        var oldByPpn = _manifest.ToDictionary(p => p.Ppn);
        var previous = new PageManifest([.. _manifest.Select(p => new ManifestEntry(p.Ppn, p.Id))]);
        var pages = CheckpointPages.Of(save.Pages, save.Full || _checkpoints.IsEmpty, previous, _index.Contains);
        var fresh = pages.New.Select(p => p.Id).ToHashSet();
        var manifest = ImmutableArray.CreateBuilder<PageRef>(pages.Manifest.Count);
        foreach (var entry in pages.Manifest.Entries)
        {
            PageSource source;
            if (fresh.Contains(entry.Id))
            {
                source = PageSource.ThisEvent;
            }
            else if (oldByPpn.TryGetValue(entry.Ppn, out var old) && old.Id == entry.Id)
            {
                source = old.Source;
            }
            else if (!_index.TryGet(entry.Id, out source))
            {
                throw new InvalidOperationException($"page {entry.Id} was reported stored but the index has no source for it");
            }

            manifest.Add(new PageRef(entry.Ppn, entry.Id, source));
        }

        int number = _checkpoints.IsEmpty ? 1 : _checkpoints[^1].Number + 1;
        var recorded = new CheckpointRecorded(number, save.Epoch, save.Cycle, save.Instructions, save.State, manifest.MoveToImmutable(), pages.New, pages.Shared);
        var asker = Sender;
        Persist(recorded, e =>
        {
            var info = Apply(e, LastSequenceNr);
            foreach (var page in e.NewPages)
            {
                _index.Add(page.Id, new PageSource(_persistenceId, LastSequenceNr));
            }

            asker.Tell(new CheckpointSaved(_vm, info.Number, info.Bytes, info.NewPages, info.SharedPages, clock.Elapsed.TotalMilliseconds));
            if (info.Number % SnapshotEvery == 0)
            {
                SaveSnapshot(new CheckpointIndex(_checkpoints, _state, _manifest, _ended));
            }
        });
    }

    private CheckpointInfo Apply(CheckpointRecorded e, long sequenceNr)
    {
        var here = new PageSource(_persistenceId, sequenceNr);
        _manifest = [.. e.Manifest.Select(p => p.Source.IsThisEvent ? p with { Source = here } : p)];
        _state = e.State;
        // Roughly what the row holds: the state, the manifest and the new pages' bytes.
        long bytes = e.State.Length + (e.Manifest.Length * 40L) + (e.NewPages.Length * (long)(PageId.Size + MachinePage.Size));
        var info = new CheckpointInfo(e.Number, sequenceNr, e.Epoch, e.Cycle, e.Instructions, bytes, e.Manifest.Length, e.NewPages.Length, e.SharedPages);
        _checkpoints = _checkpoints.Add(info);
        _ended = null;
        return info;
    }

    /// <summary>
    /// The checkpoint's state and every page, read back: the events its manifest names are
    /// queried (in the VM's own journal or another VM's), each page checked against its id.
    /// </summary>
    /// <param name="resume">A VM that ended is reported so, not loaded.</param>
    private void Load(int number, bool resume)
    {
        var asker = Sender;
        if (resume && _ended is not null)
        {
            asker.Tell(new EndedBefore(_vm, _ended.Outcome, _ended.ConsoleLength));
            return;
        }

        if (_checkpoints.IsEmpty)
        {
            asker.Tell(new NoCheckpoint(_vm));
            return;
        }

        if (number != 0 && number != _checkpoints[^1].Number)
        {
            // An earlier checkpoint: its manifest is in its own event, read first.
            var info = _checkpoints.FirstOrDefault(c => c.Number == number);
            if (info is null)
            {
                asker.Tell(new LoadFailed(_vm, $"there is no checkpoint {number} ({_persistenceId} has {string.Join(", ", _checkpoints.Select(c => c.Number))})"));
                return;
            }

            ReadEvents(_persistenceId, info.SequenceNr, info.SequenceNr).ContinueWith(t =>
            {
                if (t.IsFaulted || t.Result.FirstOrDefault() is not CheckpointRecorded e)
                {
                    return Task.FromResult<object>(new LoadFailed(_vm, $"checkpoint {number} cannot be read: {(t.IsFaulted ? Describe(t.Exception!) : "its event is missing")}"));
                }

                var here = new PageSource(_persistenceId, info.SequenceNr);
                return Gather(number, e.State, [.. e.Manifest.Select(p => p.Source.IsThisEvent ? p with { Source = here } : p)]);
            }).Unwrap().PipeTo(Self, success: r => new Loaded(asker, r));
            return;
        }

        Gather(_checkpoints[^1].Number, _state, _manifest).PipeTo(Self, success: r => new Loaded(asker, r));
    }

    private async Task<object> Gather(int number, ImmutableArray<byte> state, ImmutableArray<PageRef> manifest)
    {
        try
        {
            VmStateCodec.Decode(state.AsSpan()); // refused whole before any page is read
            var bytesById = new Dictionary<PageId, ImmutableArray<byte>>();
            foreach (var group in manifest.GroupBy(p => p.Source.PersistenceId))
            {
                long from = group.Min(p => p.Source.SequenceNr);
                long to = group.Max(p => p.Source.SequenceNr);
                var wanted = group.Select(p => p.Id).ToHashSet();
                foreach (var e in await ReadEvents(group.Key, from, to))
                {
                    if (e is CheckpointRecorded recorded)
                    {
                        foreach (var page in recorded.NewPages)
                        {
                            if (wanted.Contains(page.Id))
                            {
                                bytesById[page.Id] = page.Bytes;
                            }
                        }
                    }
                }
            }

            var pages = ImmutableArray.CreateBuilder<GuestPageImage>(manifest.Length);
            foreach (var page in manifest)
            {
                if (!bytesById.TryGetValue(page.Id, out var bytes))
                {
                    return new LoadFailed(_vm, $"checkpoint {number}: the bytes of page {page.Ppn} ({page.Id}) are not in {page.Source.PersistenceId} at {page.Source.SequenceNr}");
                }

                if (bytes.Length != MachinePage.Size || PageId.Of(bytes.AsSpan()) != page.Id)
                {
                    return new LoadFailed(_vm, $"checkpoint {number}: page {page.Ppn} does not match its content id {page.Id}: the store is corrupt");
                }

                pages.Add(new GuestPageImage(page.Ppn, bytes));
            }

            return new CheckpointLoaded(_vm, number, state, pages.MoveToImmutable());
        }
        catch (StateFormatException e)
        {
            return new LoadFailed(_vm, $"checkpoint {number} cannot be restored: {e.Message}");
        }
        catch (Exception e)
        {
            return new LoadFailed(_vm, $"checkpoint {number} cannot be read: {Describe(e)}");
        }
    }

    private async Task<IReadOnlyList<object>> ReadEvents(string persistenceId, long from, long to)
    {
        // Off the actor's thread: the system, not the context.
        var journal = PersistenceQuery.Get(_system).ReadJournalFor<SqlReadJournal>(ReadJournalId);
        var events = await journal.CurrentEventsByPersistenceId(persistenceId, from, to)
            .RunWith(Sink.Seq<EventEnvelope>(), _system.Materializer());
        return [.. events.Select(e => e.Event)];
    }

    private static string Describe(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner })
        {
            e = inner;
        }

        var text = e.Message;
        for (var inner = e.InnerException; inner is not null && text.Length < 400; inner = inner.InnerException)
        {
            text += $": {inner.Message}";
        }

        return text;
    }

    /// <summary>A load read back (off the actor's thread), to be answered from it.</summary>
    private sealed record Loaded(IActorRef ReplyTo, object Reply) : INoSerializationVerificationNeeded;
}
