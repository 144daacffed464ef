namespace ActorVmm.Monitor;

/// <summary>A VM as the migration policy sees it at an epoch boundary.</summary>
/// <param name="Busy">Simulated cycles its vCPUs used in the last epoch.</param>
/// <param name="MovedAtEpoch">The epoch it last moved at, or a large negative number.</param>
public sealed record VmLoad(int Vm, int Node, long Busy, bool Running, long MovedAtEpoch);

/// <summary>A VM to move, and where from and to.</summary>
public sealed record Migration(int Vm, int From, int To);

/// <summary>
/// Which VMs move between nodes at an epoch boundary, from simulated-time facts only (busy
/// cycles in the last epoch, epoch numbers), so that every run of a scenario moves the same
/// VMs at the same boundaries: Disco's machine switching, across the nodes of a cluster.
/// </summary>
public static class MigrationPolicy
{
    /// <summary>
    /// Balance: while the busiest node hosting two or more running VMs was busy, per physical
    /// CPU, more than <paramref name="threshold"/> of an epoch longer than the least busy
    /// accepting node, move it the running VM that used it least (settled ones only; between
    /// equals the highest-numbered), at most <paramref name="maxMoves"/> times.
    /// </summary>
    /// <param name="nodeBusy">Busy cycles of each node's CPUs in the last epoch, summed.</param>
    /// <param name="nodePcpus">Physical CPUs of each node.</param>
    /// <param name="accepting">Whether each node takes VMs (a node that is leaving does not).</param>
    public static IReadOnlyList<Migration> Balance(IReadOnlyList<long> nodeBusy, IReadOnlyList<int> nodePcpus, IReadOnlyList<bool> accepting,
        IReadOnlyList<VmLoad> vms, long epochLength, double threshold, int maxMoves, long epoch, int settleEpochs)
    {
        var busy = nodeBusy.Select(b => (double)b).ToArray();
        var where = vms.ToDictionary(v => v.Vm, v => v.Node);
        var moves = new List<Migration>();
        while (moves.Count < maxMoves)
        {
            double Utilization(int node) => busy[node] / nodePcpus[node] / epochLength;
            int? busiest = null;
            for (int n = 0; n < busy.Length; n++)
            {
                int running = vms.Count(v => v.Running && where[v.Vm] == n);
                if (running >= 2 && (busiest is null || Utilization(n) > Utilization(busiest.Value)))
                {
                    busiest = n;
                }
            }

            int? quietest = null;
            for (int n = 0; n < busy.Length; n++)
            {
                if (accepting[n] && n != busiest && (quietest is null || Utilization(n) < Utilization(quietest.Value)))
                {
                    quietest = n;
                }
            }

            if (busiest is not { } from || quietest is not { } to || Utilization(from) - Utilization(to) <= threshold)
            {
                break;
            }

            var candidate = vms
                .Where(v => v.Running && where[v.Vm] == from && epoch - v.MovedAtEpoch > settleEpochs && moves.All(m => m.Vm != v.Vm))
                .OrderBy(v => v.Busy).ThenByDescending(v => v.Vm)
                .FirstOrDefault();
            if (candidate is null)
            {
                break;
            }

            moves.Add(new Migration(candidate.Vm, from, to));
            where[candidate.Vm] = to;
            busy[from] -= candidate.Busy;
            busy[to] += candidate.Busy;
        }

        return moves;
    }

    /// <summary>Every running VM on <paramref name="leaving"/> goes to an accepting node with the fewest running VMs (then the lowest index).</summary>
    public static IReadOnlyList<Migration> Drain(int leaving, IReadOnlyList<bool> accepting, IReadOnlyList<VmLoad> vms)
    {
        var count = new int[accepting.Count];
        foreach (var v in vms.Where(v => v.Running))
        {
            count[v.Node]++;
        }

        var moves = new List<Migration>();
        foreach (var v in vms.Where(v => v.Running && v.Node == leaving).OrderBy(v => v.Vm))
        {
            int to = Enumerable.Range(0, accepting.Count).Where(n => accepting[n] && n != leaving).OrderBy(n => count[n]).ThenBy(n => n).DefaultIfEmpty(-1).First();
            if (to < 0)
            {
                break;
            }

            moves.Add(new Migration(v.Vm, leaving, to));
            count[to]++;
        }

        return moves;
    }

    /// <summary>
    /// Where each VM starts: its own node (modulo the node count), else the node with the
    /// fewest VMs placed so far (then the lowest index), in scenario order.
    /// </summary>
    public static IReadOnlyDictionary<int, int> InitialPlacement(IReadOnlyList<(int Vm, int? Node)> vms, int nodes)
    {
        var count = new int[nodes];
        var placement = new Dictionary<int, int>();
        foreach (var (vm, node) in vms.Where(v => v.Node is not null))
        {
            int n = node!.Value % nodes;
            placement[vm] = n;
            count[n]++;
        }

        foreach (var (vm, _) in vms.Where(v => v.Node is null))
        {
            int n = Enumerable.Range(0, nodes).OrderBy(i => count[i]).ThenBy(i => i).First();
            placement[vm] = n;
            count[n]++;
        }

        return placement;
    }
}
