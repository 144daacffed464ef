namespace ActorVmm.Monitor.Tracing;

/// <summary>What a trace file says about the run it came from.</summary>
public sealed record TraceMetadata(string Scenario, int PhysicalCpus, IReadOnlyDictionary<int, string> VmNames)
{
    public string NameOf(int vm) => VmNames.TryGetValue(vm, out var name) ? name : $"vm{vm}";
}
