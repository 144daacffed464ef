using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ActorVmm.Actors.Serialization;

/// <summary>
/// The binary serializer of one protocol family (bound in hocon/actorvmm-akka.conf to the
/// family's <c>IMessage</c>): a table of its message types, each with a short manifest, a
/// writer and a reader, all written by hand. A type missing from the table, a manifest
/// this build does not know, or a payload that does not read back whole is a
/// <see cref="SerializationException"/> naming the family, the manifest and what is wrong.
/// </summary>
public abstract class ProtocolSerializer : SerializerWithStringManifest
{
    private readonly Dictionary<Type, Entry> _byType = new();
    private readonly Dictionary<string, Entry> _byManifest = new(StringComparer.Ordinal);
    private readonly int _identifier;

    protected ProtocolSerializer(ExtendedActorSystem system, int identifier, string family)
        : base(system)
    {
        _identifier = identifier;
        Family = family;
    }

    public override int Identifier => _identifier;

    /// <summary>The protocol this serializer is for, in messages.</summary>
    public string Family { get; }

    /// <summary>Every type this serializer has a manifest for.</summary>
    public IReadOnlyCollection<Type> Types => _byType.Keys;

    public override string Manifest(object o) => Find(o).Manifest;

    public override byte[] ToBinary(object obj)
    {
        var entry = Find(obj);
        var writer = WireWriter.Rent();
        entry.Write(writer, obj);
        return writer.ToArrayAndRelease();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!_byManifest.TryGetValue(manifest, out var entry))
        {
            throw new SerializationException(
                $"{Family}: unknown manifest '{manifest}' ({bytes.Length} bytes); this build knows {string.Join(", ", _byManifest.Keys.Order(StringComparer.Ordinal))}: is the sender a different build?");
        }

        var reader = new WireReader(bytes, system);
        try
        {
            object message = entry.Read(ref reader);
            reader.End();
            return message;
        }
        catch (Exception e)
        {
            // A record's constructor refusing a decoded value is a corrupt payload too.
            throw new SerializationException($"{Family}: cannot read a {entry.Type.Name} (manifest '{manifest}', {bytes.Length} bytes): {e.Message}", e);
        }
    }

    /// <summary>Puts a message type in the table; called from the family's constructor.</summary>
    protected void Add<T>(string manifest, Action<WireWriter, T> write, WireRead<T> read)
        where T : class
    {
        var entry = new Entry(typeof(T), manifest, (w, o) => write(w, (T)o), (ref WireReader r) => read(ref r));
        if (!_byManifest.TryAdd(manifest, entry) || !_byType.TryAdd(typeof(T), entry))
        {
            throw new InvalidOperationException($"{Family}: manifest '{manifest}' or type {typeof(T).Name} is registered twice");
        }
    }

    /// <summary>A message with no fields: every instance is equal, so one is shared.</summary>
    protected void AddEmpty<T>(string manifest, T instance)
        where T : class => Add(manifest, static (_, _) => { }, (ref WireReader _) => instance);

    private Entry Find(object o) =>
        _byType.TryGetValue(o.GetType(), out var entry)
            ? entry
            : throw new SerializationException($"{Family} has no manifest for {o.GetType().FullName}: a message of the protocol needs one in its serializer (src/ActorVmm.Actors/Serialization)");

    private sealed record Entry(Type Type, string Manifest, Action<WireWriter, object> Write, WireRead<object> Read);
}
