using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Security.Cryptography;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using Akka.Actor;
using static ActorVmm.Actors.CheckpointProtocol;

namespace ActorVmm.Actors.Serialization;

/// <summary>
/// The serializer of <see cref="CheckpointProtocol"/>, messages and stored records alike. A
/// stored record (a journal event, a snapshot) outlives the build that wrote it, so its
/// payload is framed: "AVCK", the format version, the payload's length and its SHA-256. A row of
/// another version or whose bytes changed is refused with a message saying which, before
/// anything is read from it.
/// </summary>
public sealed class CheckpointSerializer : ProtocolSerializer
{
    public const int Id = 4110;

    /// <summary>Raise this whenever a stored record's layout changes.</summary>
    public const ushort StoredFormatVersion = 1;

    private const int FrameSize = 4 + 2 + 4 + 32;

    private static readonly Dictionary<string, string> StoredNames = new()
    {
        ["#I"] = nameof(CheckpointInfo),
        ["#C"] = nameof(CheckpointRecorded),
        ["#E"] = nameof(VmEnded),
        ["#X"] = nameof(CheckpointIndex),
    };
    private static readonly byte[] Magic = "AVCK"u8.ToArray();

    public CheckpointSerializer(ExtendedActorSystem system)
        : base(system, Id, nameof(CheckpointProtocol))
    {
        Add<TakeCheckpoint>("T", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I64(m.Epoch);
            w.I64(m.Cycle);
        }, static (ref WireReader r) => new TakeCheckpoint(r.I32(), r.I64(), r.I64()));
        Add<CheckpointTaken>("TK", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Bool(m.Taken);
        }, static (ref WireReader r) => new CheckpointTaken(r.I32(), r.Bool()));
        Add<OpenCheckpoints>("O", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Enum(m.Mode);
        }, static (ref WireReader r) => new OpenCheckpoints(r.I32(), r.Enum<OpenMode>()));
        Add<CheckpointsOpened>("OK", static (w, m) => w.I32(m.Vm), static (ref WireReader r) => new CheckpointsOpened(r.I32()));
        Add<SaveCheckpoint>("S", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I64(m.Epoch);
            w.I64(m.Cycle);
            w.I64(m.Instructions);
            w.Bytes(m.State);
            w.Array(m.Pages, static (w, p) => w.Page(p));
            w.Bool(m.Full);
        }, static (ref WireReader r) => new SaveCheckpoint(r.I32(), r.I64(), r.I64(), r.I64(), r.Bytes(), r.Array(static (ref WireReader r) => r.Page(), 8), r.Bool()));
        Add<CheckpointSaved>("SK", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I32(m.Number);
            w.I64(m.Bytes);
            w.I32(m.NewPages);
            w.I32(m.SharedPages);
            w.F64(m.Milliseconds);
        }, static (ref WireReader r) => new CheckpointSaved(r.I32(), r.I32(), r.I64(), r.I32(), r.I32(), r.F64()));
        Add<CheckpointFailed>("SF", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Reason);
        }, static (ref WireReader r) => new CheckpointFailed(r.I32(), r.String()));
        Add<LoadCheckpoint>("L", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I32(m.Number);
        }, static (ref WireReader r) => new LoadCheckpoint(r.I32(), r.I32()));
        Add<CheckpointLoaded>("LK", static (w, m) =>
        {
            w.I32(m.Vm);
            w.I32(m.Number);
            w.Bytes(m.State);
            w.Array(m.Pages, static (w, p) => w.Page(p));
        }, static (ref WireReader r) => new CheckpointLoaded(r.I32(), r.I32(), r.Bytes(), r.Array(static (ref WireReader r) => r.Page(), 8)));
        Add<NoCheckpoint>("LN", static (w, m) => w.I32(m.Vm), static (ref WireReader r) => new NoCheckpoint(r.I32()));
        Add<EndedBefore>("LE", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Outcome(m.Outcome);
            w.I64(m.ConsoleLength);
        }, static (ref WireReader r) => new EndedBefore(r.I32(), r.Outcome(), r.I64()));
        Add<LoadFailed>("LF", static (w, m) =>
        {
            w.I32(m.Vm);
            w.String(m.Reason);
        }, static (ref WireReader r) => new LoadFailed(r.I32(), r.String()));
        Add<RecordEnd>("E", static (w, m) =>
        {
            w.I32(m.Vm);
            w.Outcome(m.Outcome);
            w.I64(m.ConsoleLength);
        }, static (ref WireReader r) => new RecordEnd(r.I32(), r.Outcome(), r.I64()));
        Add<EndRecorded>("EK", static (w, m) => w.I32(m.Vm), static (ref WireReader r) => new EndRecorded(r.I32()));
        AddEmpty("LS", new ListCheckpoints());
        Add<CheckpointList>("LSK", static (w, m) =>
        {
            w.String(m.PersistenceId);
            w.Array(m.Checkpoints, Info);
            w.Optional(m.Ended, static (w, o) => w.Outcome(o));
        }, static (ref WireReader r) => new CheckpointList(r.String(), r.Array(Info, 56), r.Optional(static (ref WireReader r) => r.Outcome())));

        // Stored records: framed (see FromBinary).
        Add<CheckpointInfo>("#I", Info, Info);
        Add<CheckpointRecorded>("#C", static (w, m) =>
        {
            w.I32(m.Number);
            w.I64(m.Epoch);
            w.I64(m.Cycle);
            w.I64(m.Instructions);
            w.Bytes(m.State);
            w.Array(m.Manifest, PageRef);
            w.Array(m.NewPages, static (w, p) =>
            {
                w.PageId(p.Id);
                w.Bytes(p.Bytes);
            });
            w.I32(m.SharedPages);
        }, static (ref WireReader r) => new CheckpointRecorded(r.I32(), r.I64(), r.I64(), r.I64(), r.Bytes(), r.Array(PageRef, 29),
            r.Array(static (ref WireReader r) => new StoredPage(r.PageId(), r.Bytes()), 20), r.I32()));
        Add<VmEnded>("#E", Ended, Ended);
        Add<CheckpointIndex>("#X", static (w, m) =>
        {
            w.Array(m.Checkpoints, Info);
            w.Bytes(m.State);
            w.Array(m.Manifest, PageRef);
            w.Optional(m.Ended, Ended);
        }, static (ref WireReader r) => new CheckpointIndex(r.Array(Info, 56), r.Bytes(), r.Array(PageRef, 29), r.Optional(Ended)));
    }

    public override byte[] ToBinary(object obj)
    {
        byte[] payload = base.ToBinary(obj);
        if (obj is not IStored)
        {
            return payload;
        }

        var framed = new byte[FrameSize + payload.Length];
        Magic.CopyTo(framed, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(framed.AsSpan(4), StoredFormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(framed.AsSpan(6), payload.Length);
        SHA256.HashData(payload, framed.AsSpan(10, 32));
        payload.CopyTo(framed, FrameSize);
        return framed;
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!manifest.StartsWith('#'))
        {
            return base.FromBinary(bytes, manifest);
        }

        string what = $"{Family}: a stored {StoredNames.GetValueOrDefault(manifest, "record")} (manifest '{manifest}', {bytes.Length} bytes)";
        if (bytes.Length < FrameSize || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new SerializationException($"{what} does not start with an AVCK frame: it is not a checkpoint record, or it is cut short or corrupt");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4));
        if (version != StoredFormatVersion)
        {
            throw new SerializationException($"{what} is of format version {version}; this build reads version {StoredFormatVersion} only");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(6));
        if (length < 0 || length > bytes.Length - FrameSize)
        {
            throw new SerializationException($"{what} says its payload is {length} bytes but {bytes.Length - FrameSize} follow: it was cut short");
        }

        if (length < bytes.Length - FrameSize)
        {
            throw new SerializationException($"{what}: {bytes.Length - FrameSize - length} bytes are left after the last field: it was extended");
        }

        var payload = bytes.AsSpan(FrameSize);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(bytes.AsSpan(10, 32)))
        {
            throw new SerializationException($"{what} does not match its checksum: it is corrupt");
        }

        return base.FromBinary(payload.ToArray(), manifest);
    }

    private static void Info(WireWriter w, CheckpointInfo m)
    {
        w.I32(m.Number);
        w.I64(m.SequenceNr);
        w.I64(m.Epoch);
        w.I64(m.Cycle);
        w.I64(m.Instructions);
        w.I64(m.Bytes);
        w.I32(m.Pages);
        w.I32(m.NewPages);
        w.I32(m.SharedPages);
    }

    private static CheckpointInfo Info(ref WireReader r) => new(r.I32(), r.I64(), r.I64(), r.I64(), r.I64(), r.I64(), r.I32(), r.I32(), r.I32());

    private static void PageRef(WireWriter w, PageRef p)
    {
        w.U32(p.Ppn.Value);
        w.PageId(p.Id);
        w.String(p.Source.PersistenceId);
        w.I64(p.Source.SequenceNr);
    }

    private static PageRef PageRef(ref WireReader r) => new(new Ppn(r.U32()), r.PageId(), new PageSource(r.String(), r.I64()));

    private static void Ended(WireWriter w, VmEnded m)
    {
        w.Outcome(m.Outcome);
        w.I64(m.ConsoleLength);
    }

    private static VmEnded Ended(ref WireReader r) => new(r.Outcome(), r.I64());
}

/// <summary>Content ids on the wire.</summary>
internal static class PageIdWire
{
    public static void PageId(this WireWriter w, PageId id)
    {
        w.U64(id.High);
        w.U64(id.Low);
    }

    public static PageId PageId(this ref WireReader r) => new(r.U64(), r.U64());
}
