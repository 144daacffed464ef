using ActorVmm.Actors.Protocol;

namespace ActorVmm.Actors;

/// <summary>
/// Placement decisions at an epoch boundary, from simulated-time facts only, so they are
/// the same on every run: while one CPU has at least two more live vCPUs than another, the
/// busiest gives one to the least busy. With affinity a vCPU otherwise stays put.
/// </summary>
public static class LoadBalancer
{
    public static int Rebalance(IReadOnlyDictionary<VcpuKey, VcpuSlot> slots, Dictionary<VcpuKey, int> placement, int pcpus, bool affinity)
    {
        var live = slots.Values.Where(s => s.State != VcpuRunState.Halted).Select(s => s.Vcpu.Key).OrderBy(k => k.Vm).ThenBy(k => k.Vcpu).ToList();
        if (!affinity)
        {
            // Without affinity, deal the live vCPUs out afresh each epoch.
            for (int i = 0; i < live.Count; i++)
            {
                placement[live[i]] = i % pcpus;
            }

            return live.Count;
        }

        int moves = 0;
        while (true)
        {
            var load = new int[pcpus];
            foreach (var key in live)
            {
                load[placement[key]]++;
            }

            int busiest = 0;
            int quietest = 0;
            for (int p = 1; p < pcpus; p++)
            {
                if (load[p] > load[busiest])
                {
                    busiest = p;
                }

                if (load[p] < load[quietest])
                {
                    quietest = p;
                }
            }

            if (load[busiest] - load[quietest] < 2)
            {
                return moves;
            }

            // Move the vCPU that used the least of the busy CPU last epoch: it loses least from a cold TLB.
            var candidate = live.Where(k => placement[k] == busiest)
                .OrderBy(k => slots[k].BusyCyclesLastEpoch).ThenByDescending(k => k.Vm).ThenByDescending(k => k.Vcpu)
                .First();
            placement[candidate] = quietest;
            moves++;
        }
    }
}
