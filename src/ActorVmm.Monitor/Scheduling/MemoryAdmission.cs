namespace ActorVmm.Monitor;

/// <summary>
/// Admission control by machine memory: a VM starts on a node only when the node can hold the
/// whole of its guest memory beside the VMs it already hosts (a reservation of its pages), so a
/// fleet larger than machine memory queues instead of being refused, and no admitted VM meets
/// exhausted machine memory. A VM larger than its node runs when it is alone there (the user
/// overcommitted on purpose; it may then meet exhaustion, as before). Decisions are taken only
/// at epoch boundaries, in VM-id order, from the VMs that have halted: the same scenario admits
/// the same VMs at the same epochs every time.
/// </summary>
public sealed class MemoryAdmission
{
    private readonly ulong[] _capacity;
    private readonly ulong[] _reserved;
    private readonly int[] _hosted;
    private readonly Dictionary<int, (int Node, ulong Pages)> _admitted = new();
    private readonly SortedDictionary<int, (int Node, ulong Pages)> _waiting = new();

    /// <param name="capacityPages">Each node's machine memory, in pages.</param>
    public MemoryAdmission(IReadOnlyList<ulong> capacityPages)
    {
        _capacity = [.. capacityPages];
        _reserved = new ulong[_capacity.Length];
        _hosted = new int[_capacity.Length];
    }

    public int Waiting => _waiting.Count;

    /// <summary>VMs that have waited at some point, and how many so far.</summary>
    public int EverWaited { get; private set; }

    public ulong ReservedPages(int node) => _reserved[node];

    /// <summary>The VMs holding a reservation, in VM-id order.</summary>
    public IEnumerable<int> Admitted => _admitted.Keys.Order();

    /// <summary>Give up on every waiting VM (its node is gone): they are returned in VM-id order.</summary>
    public IReadOnlyList<int> AbandonWaiting()
    {
        var abandoned = _waiting.Keys.ToList();
        _waiting.Clear();
        return abandoned;
    }

    /// <summary>
    /// A VM asks to start on <paramref name="node"/>: true if it is admitted now, else it waits
    /// (also when VMs are already waiting: they were first).
    /// </summary>
    public bool Request(int vm, int node, ulong pages)
    {
        if (_waiting.Count == 0 && Fits(node, pages))
        {
            Reserve(vm, node, pages);
            return true;
        }

        _waiting[vm] = (node, pages);
        EverWaited++;
        return false;
    }

    /// <summary>The VM has halted (or failed): its reservation is free for the VMs waiting.</summary>
    public bool Release(int vm)
    {
        if (!_admitted.Remove(vm, out var a))
        {
            return false;
        }

        _reserved[a.Node] -= a.Pages;
        _hosted[a.Node]--;
        return true;
    }

    /// <summary>The VM moved between nodes: its reservation moves with it.</summary>
    public void Move(int vm, int to)
    {
        if (_admitted.TryGetValue(vm, out var a))
        {
            _reserved[a.Node] -= a.Pages;
            _hosted[a.Node]--;
            _reserved[to] += a.Pages;
            _hosted[to]++;
            _admitted[vm] = (to, a.Pages);
        }
    }

    /// <summary>Whether <paramref name="node"/> can take a VM of <paramref name="pages"/> pages now.</summary>
    public bool Fits(int node, ulong pages) => _reserved[node] + pages <= _capacity[node] || _hosted[node] == 0;

    /// <summary>At an epoch boundary: the waiting VMs that fit now, in VM-id order, each with its node; they are reserved.</summary>
    public IReadOnlyList<(int Vm, int Node)> AdmitWaiting()
    {
        var admitted = new List<(int, int)>();
        foreach (var (vm, (node, pages)) in _waiting.ToList())
        {
            if (Fits(node, pages))
            {
                _waiting.Remove(vm);
                Reserve(vm, node, pages);
                admitted.Add((vm, node));
            }
        }

        return admitted;
    }

    private void Reserve(int vm, int node, ulong pages)
    {
        _admitted[vm] = (node, pages);
        _reserved[node] += pages;
        _hosted[node]++;
    }
}
