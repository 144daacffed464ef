using System.Collections.Immutable;
using System.Runtime.Serialization;
using ActorVmm.Actors.Serialization;
using ActorVmm.Actors.Tests.Support;
using ActorVmm.Monitor;
using Akka.Actor;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.Actors.Tests.Serialization;

/// <summary>
/// The protocol serializers: every message type of every protocol (found by reflection, so a
/// message added later is covered without being listed) has a manifest in its family's
/// serializer, which the node's config binds; every one comes back equal field by field;
/// and a payload that is cut short, extended, corrupt or of an unknown manifest is refused
/// with a SerializationException rather than read as some other message.
/// </summary>
public sealed class ProtocolSerializerSpec : NodeSpec
{
    private readonly IReadOnlyList<IActorRef> _refs;

    public ProtocolSerializerSpec(ITestOutputHelper output)
        : base(1u << 20, output)
    {
        _refs = [TestActor, CreateTestProbe("vcpu").Ref, CreateTestProbe("memory").Ref];
    }

    public static TheoryData<string> MessageTypes => new(ProtocolMessages.All.Keys.Select(t => t.FullName!).Order(StringComparer.Ordinal));

    [Fact]
    public void Every_protocol_has_a_serializer_with_a_manifest_for_each_of_its_messages_and_nothing_else()
    {
        Assert.Equal(9, ProtocolMessages.Families.Count);
        Assert.True(ProtocolMessages.All.Count >= 60, $"only {ProtocolMessages.All.Count} message types were found: the reflection is broken");
        var problems = new List<string>();
        var serializers = new HashSet<ProtocolSerializer>();
        foreach (var (type, family) in ProtocolMessages.All)
        {
            var serializer = Sys.Serialization.FindSerializerForType(type);
            if (serializer is not ProtocolSerializer binary)
            {
                problems.Add($"{type.FullName} goes to {serializer.GetType().Name}, not a protocol serializer: bind {family.Name}+IMessage in hocon/actorvmm-akka.conf");
                continue;
            }

            serializers.Add(binary);
            if (binary.Family != family.Name)
            {
                problems.Add($"{type.FullName} goes to {binary.Family}'s serializer, not {family.Name}'s");
            }

            if (!binary.Types.Contains(type))
            {
                problems.Add($"{type.FullName} has no manifest in {binary.GetType().Name}");
            }
        }

        foreach (var serializer in serializers)
        {
            problems.AddRange(serializer.Types.Where(t => !ProtocolMessages.All.ContainsKey(t)).Select(t => $"{serializer.GetType().Name} lists {t.FullName}, which is not a message of a protocol"));
        }

        Assert.Equal(ProtocolMessages.Families.Count, serializers.Count);
        Assert.Equal(serializers.Count, serializers.Select(s => s.Identifier).Distinct().Count());
        Assert.All(serializers, s => Assert.InRange(s.Identifier, 4100, 4120));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void A_message_comes_back_equal_in_every_field(string typeName)
    {
        var type = TypeNamed(typeName);
        for (int variant = 0; variant < SampleValues.Variants; variant++)
        {
            var message = new SampleValues(variant, _refs).Make(type);
            if (variant == 0)
            {
                StructuralEquality.AssertFilled(message, type.Name);
            }

            var copy = RoundTrip(message, out _);

            StructuralEquality.AssertEqual(message, copy, $"{type.Name} (variant {variant})");
        }
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void A_payload_cut_short_or_extended_is_refused(string typeName)
    {
        var type = TypeNamed(typeName);
        foreach (int variant in new[] { 0, 1 })
        {
            var message = new SampleValues(variant, _refs).Make(type);
            var serializer = (ProtocolSerializer)Sys.Serialization.FindSerializerFor(message);
            byte[] bytes = serializer.ToBinary(message);
            string manifest = serializer.Manifest(message);

            // Every prefix is refused: the decoding of a prefix is the decoding of the whole
            // until the bytes run out, so it can only end in a refusal.
            int step = Math.Max(1, bytes.Length / 500);
            for (int length = 0; length < bytes.Length; length += step)
            {
                var cut = bytes.AsSpan(0, length).ToArray();
                var e = Assert.Throws<SerializationException>(() => serializer.FromBinary(cut, manifest));
                Assert.Contains(type.Name, e.Message);
                Assert.Contains(serializer.Family, e.Message);
            }

            byte[] extended = [.. bytes, 0];
            var extra = Assert.Throws<SerializationException>(() => serializer.FromBinary(extended, manifest));
            Assert.Contains("bytes are left after the last field", extra.Message);
        }
    }

    [Fact]
    public void An_unknown_manifest_is_refused_naming_the_protocol_and_the_manifest()
    {
        var serializer = (ProtocolSerializer)Sys.Serialization.FindSerializerFor(new TrapRouterProtocol.CaptureRouter());

        var e = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize([1, 2, 3], serializer.Identifier, "ZZ"));

        Assert.Contains("TrapRouterProtocol", e.Message);
        Assert.Contains("unknown manifest 'ZZ'", e.Message);
    }

    [Fact]
    public void An_enum_value_the_type_does_not_define_is_refused()
    {
        var yielded = new VirtualCpuProtocol.Yielded(new VcpuKey(1, 0), YieldReason.Idle, 10, 20, 30);
        var serializer = (ProtocolSerializer)Sys.Serialization.FindSerializerFor(yielded);
        byte[] bytes = serializer.ToBinary(yielded);
        bytes[8] = 9; // the reason, after the vCPU key

        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(yielded)));

        Assert.Contains("YieldReason has no value 9", e.Message);
    }

    [Fact]
    public void A_flag_that_is_neither_0_nor_1_is_refused()
    {
        var dispatch = new VirtualCpuProtocol.Dispatch(2, 5000, MachineSwitch: true);
        var serializer = (ProtocolSerializer)Sys.Serialization.FindSerializerFor(dispatch);
        byte[] bytes = serializer.ToBinary(dispatch);
        bytes[^9] = 2; // MachineSwitch, before the 8-byte clock

        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(dispatch)));

        Assert.Contains("a flag holds 2", e.Message);
    }

    [Fact]
    public void A_trap_decision_of_an_unknown_kind_is_refused()
    {
        var decided = new TrapRouterProtocol.Decided(new DeviceDone(2, 7, false, 0), ImmutableArray<Memory.GuestPageMapping>.Empty);
        var serializer = (ProtocolSerializer)Sys.Serialization.FindSerializerFor(decided);
        byte[] bytes = serializer.ToBinary(decided);
        bytes[0] = 42;

        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(decided)));

        Assert.Contains("kind tag 42", e.Message);
    }

    [Fact]
    public void A_count_larger_than_the_payload_is_refused_before_anything_is_allocated()
    {
        var consoles = new ConsoleSinkProtocol.GetConsoles([1, 2, 3]);
        var serializer = (ProtocolSerializer)Sys.Serialization.FindSerializerFor(consoles);
        byte[] bytes = serializer.ToBinary(consoles);
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), int.MaxValue);

        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(consoles)));

        Assert.Contains($"a count of {int.MaxValue}", e.Message);
    }

    [Fact]
    public void A_type_the_serializer_has_no_manifest_for_is_refused_when_sent()
    {
        var serializer = (ProtocolSerializer)Sys.Serialization.FindSerializerFor(new NodeAgentProtocol.Shutdown());

        var e = Assert.Throws<SerializationException>(() => serializer.ToBinary(new VcpuKey(1, 1)));

        Assert.Contains("NodeAgentProtocol has no manifest for ActorVmm.Monitor.VcpuKey", e.Message);
    }

    [Fact]
    public async Task The_json_guard_notices_a_protocol_message_and_lets_other_messages_through()
    {
        // Its own system: this spec's guard must stay clean.
        var config = ConfigurationFactory.ParseString(JsonGuard.Hocon).WithFallback(AkkaConfiguration.Load().Config);
        var system = ActorSystem.Create("guarded", config);
        try
        {
            var json = Assert.IsType<JsonGuard>(system.Serialization.FindSerializerForType(typeof(object)));

            json.ToBinary("a TestKit message");
            Assert.Empty(json.ProtocolMessagesSeen);
            json.ToBinary(new MemoryManagerProtocol.VmReleased(3, 12));
            Assert.Equal([typeof(MemoryManagerProtocol.VmReleased)], json.ProtocolMessagesSeen);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private object RoundTrip(object message, out byte[] bytes)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsAssignableFrom<ProtocolSerializer>(serializer);
        bytes = serializer.ToBinary(message);
        string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
    }

    private static Type TypeNamed(string name) => ProtocolMessages.All.Keys.Single(t => t.FullName == name);
}
