namespace ActorVmm.Monitor.Tracing;

/// <summary>What a trace file says about the run it came from.</summary>
/// <param name="Node">The node that wrote the file: "local" for a single-node run; each node of a cluster writes its own file.</param>
/// <param name="StampEvery">How often the trap path's records read the clock (<see cref="TraceTiming"/>); 1 = every record.</param>
/// <param name="StartNanoseconds">The host's monotonic clock when recording started (the origin of the file's wall-clock times).</param>
public sealed record TraceMetadata(
    string Scenario,
    int PhysicalCpus,
    IReadOnlyDictionary<int, string> VmNames,
    string Node = TraceMetadata.LocalNode,
    int StampEvery = TraceMetadata.DefaultStampEvery,
    long StartNanoseconds = 0)
{
    public const string LocalNode = "local";

    public const int DefaultStampEvery = 16;

    public string NameOf(int vm) => VmNames.TryGetValue(vm, out var name) ? name : $"vm{vm}";
}
