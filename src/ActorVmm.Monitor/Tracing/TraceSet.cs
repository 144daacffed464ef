namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// The trace files of one run, one per node (a single-node run has one), read as one trace:
/// each file's records in its own sequence order, merged across files by the host's
/// monotonic clock (comparable between processes on one host), ties broken by node and
/// sequence.
/// </summary>
public sealed class TraceSet
{
    private TraceSet(IReadOnlyList<TraceReader> files, IReadOnlyList<string> nodes)
    {
        Files = files;
        Nodes = nodes;
    }

    public IReadOnlyList<TraceReader> Files { get; }

    /// <summary>Each file's node name, made unique (a second "local" becomes "local#2").</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>The earliest recorder start: the origin of the merged wall-clock axis.</summary>
    public long StartNanoseconds => Files.Min(f => f.Metadata.StartNanoseconds);

    public static TraceSet Open(IEnumerable<string> paths) => Of(paths.Select(TraceReader.Open).ToList());

    public static TraceSet Of(IReadOnlyList<TraceReader> files)
    {
        if (files.Count == 0)
        {
            throw new ArgumentException("a trace set needs at least one file", nameof(files));
        }

        var nodes = new List<string>();
        foreach (var f in files)
        {
            string name = f.Metadata.Node;
            for (int n = 2; nodes.Contains(name); n++)
            {
                name = $"{f.Metadata.Node}#{n}";
            }

            nodes.Add(name);
        }

        return new TraceSet(files, nodes);
    }

    /// <summary>
    /// The name of a VM of a node's file; a node started before it knew the scenario (an
    /// `actorvmm node` process) names no VM, so the other files of the run are asked too.
    /// </summary>
    public string NameOf(int node, int vm)
    {
        if (Files[node].Metadata.VmNames.TryGetValue(vm, out var name))
        {
            return name;
        }

        foreach (var file in Files)
        {
            if (file.Metadata.VmNames.TryGetValue(vm, out name))
            {
                return name;
            }
        }

        return Files[node].Metadata.NameOf(vm);
    }

    /// <summary>Every record (that <paramref name="keep"/> accepts) in the global order, with the index of its node.</summary>
    public IEnumerable<NodeRecord> Merged(Func<TraceRecord, bool>? keep = null)
    {
        var perFile = Files.Select(f => Sorted(keep is null ? f.Stream() : f.Stream().Where(keep))).ToList();
        if (perFile.Count == 1)
        {
            foreach (var r in perFile[0])
            {
                yield return new NodeRecord(0, r);
            }

            yield break;
        }

        var heads = new PriorityQueue<int, (long Nanoseconds, int Node, long Sequence)>();
        var cursor = new int[perFile.Count];
        for (int n = 0; n < perFile.Count; n++)
        {
            if (perFile[n].Length > 0)
            {
                heads.Enqueue(n, Key(n, perFile[n][0]));
            }
        }

        while (heads.TryDequeue(out int n, out _))
        {
            yield return new NodeRecord(n, perFile[n][cursor[n]]);
            if (++cursor[n] < perFile[n].Length)
            {
                heads.Enqueue(n, Key(n, perFile[n][cursor[n]]));
            }
        }
    }

    private static (long, int, long) Key(int node, in TraceRecord r) => (r.Nanoseconds, node, r.Sequence);

    private static TraceRecord[] Sorted(IEnumerable<TraceRecord> records)
    {
        var all = records.ToArray();
        Array.Sort(all, static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return all;
    }
}

/// <summary>A record and the index of the node (file) it came from in its <see cref="TraceSet"/>.</summary>
public readonly record struct NodeRecord(int Node, TraceRecord Record);
