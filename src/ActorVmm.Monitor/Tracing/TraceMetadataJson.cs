using System.Globalization;
using System.Text.Json;

namespace ActorVmm.Monitor.Tracing;

/// <summary>The JSON payloads of a trace file's metadata and end blocks.</summary>
internal static class TraceMetadataJson
{
    public static byte[] Write(TraceMetadata m) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        scenario = m.Scenario,
        node = m.Node,
        physicalCpus = m.PhysicalCpus,
        vms = m.VmNames.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
        recordSize = TraceRecord.Size,
        stampEvery = m.StampEvery,
        startNanoseconds = m.StartNanoseconds,
    });

    /// <summary>The metadata, or null when the block does not hold it (the caller says why).</summary>
    public static TraceMetadata? Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var meta = JsonSerializer.Deserialize<JsonElement>(json);
            if (meta.GetProperty("recordSize").GetInt32() != TraceRecord.Size)
            {
                return null;
            }

            var names = new Dictionary<int, string>();
            foreach (var vm in meta.GetProperty("vms").EnumerateObject())
            {
                names[int.Parse(vm.Name, CultureInfo.InvariantCulture)] = vm.Value.GetString() ?? vm.Name;
            }

            return new TraceMetadata(
                meta.GetProperty("scenario").GetString() ?? "",
                meta.GetProperty("physicalCpus").GetInt32(),
                names,
                meta.GetProperty("node").GetString() ?? TraceMetadata.LocalNode,
                meta.GetProperty("stampEvery").GetInt32(),
                meta.GetProperty("startNanoseconds").GetInt64());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            return null;
        }
    }

    public static byte[] WriteEnd(TraceEnd end) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        records = end.Records,
        blocks = end.Blocks,
        interruption = end.Interruption,
    });

    public static TraceEnd? ReadEnd(ReadOnlySpan<byte> json)
    {
        try
        {
            var e = JsonSerializer.Deserialize<JsonElement>(json);
            var interruption = e.GetProperty("interruption");
            return new TraceEnd(e.GetProperty("records").GetInt64(), e.GetProperty("blocks").GetInt64(),
                interruption.ValueKind == JsonValueKind.Null ? null : interruption.GetString());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
