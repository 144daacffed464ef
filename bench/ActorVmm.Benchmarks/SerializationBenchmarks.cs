using System.Collections.Concurrent;
using ActorVmm.Actors;
using Akka.Actor;
using Akka.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ActorVmm.Benchmarks;

/// <summary>
/// Serialize plus deserialize of one message, as Akka.Remote does for every message that
/// crosses nodes: the protocol's binary serializer (bound by the node's config) against
/// Akka's default JSON serializer, in the same run.
/// </summary>
[Config(typeof(SerializationBenchmarkConfig))]
public class SerializationBenchmarks
{
    private ActorSystem _system = null!;
    private Serializer _serializer = null!;
    private object _message = null!;
    private string _manifest = "";

    [ParamsSource(nameof(Messages))]
    public string Message { get; set; } = "";

    [ParamsAllValues]
    public Wire Serializer { get; set; }

    public static IEnumerable<string> Messages => SerializationSamples.Names;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", AkkaConfiguration.Load().Config);
        _message = SerializationSamples.Build(Message, _system);
        _serializer = Of(_system, Serializer, _message);
        _manifest = Akka.Serialization.Serialization.ManifestFor(_serializer, _message);
        var copy = RoundTrip();
        if (copy.GetType() != _message.GetType())
        {
            throw new InvalidOperationException($"{Serializer} turned a {_message.GetType().Name} into a {copy.GetType().Name}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Benchmark(Description = "serialize + deserialize")]
    public object RoundTrip() => _system.Serialization.Deserialize(_serializer.ToBinary(_message), _serializer.Identifier, _manifest);

    /// <summary>The serializer the node's config binds to the message, or the one bound to everything else (JSON).</summary>
    public static Serializer Of(ActorSystem system, Wire wire, object message) => wire switch
    {
        Wire.ActorVmmBinary => system.Serialization.FindSerializerFor(message),
        _ => system.Serialization.FindSerializerForType(typeof(object)),
    };

    public enum Wire
    {
        ActorVmmBinary,
        AkkaDefaultJson,
    }

    private sealed class SerializationBenchmarkConfig : ManualConfig
    {
        public SerializationBenchmarkConfig()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1).WithId("short10"));
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            AddColumn(new PayloadColumn());
            HideColumns(Column.Error);
        }
    }

    /// <summary>The message's size on the wire, measured once in this process.</summary>
    private sealed class PayloadColumn : IColumn
    {
        private static readonly ConcurrentDictionary<(string, Wire), int> Sizes = new();
        private static readonly Lazy<ActorSystem> System = new(() => ActorSystem.Create("sizes", AkkaConfiguration.Load().Config));

        public string Id => nameof(PayloadColumn);

        public string ColumnName => "Payload";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Size;

        public string Legend => "Bytes of the serialized message";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            string message = (string)benchmarkCase.Parameters["Message"];
            var wire = (Wire)benchmarkCase.Parameters["Serializer"];
            int size = Sizes.GetOrAdd((message, wire), key =>
            {
                var sample = SerializationSamples.Build(key.Item1, System.Value);
                return Of(System.Value, key.Item2, sample).ToBinary(sample).Length;
            });
            return $"{size:N0} B";
        }
    }
}
