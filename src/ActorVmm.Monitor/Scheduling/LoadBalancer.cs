namespace ActorVmm.Monitor;

/// <summary>
/// Placement decisions at an epoch boundary, from simulated-time facts only (states, busy
/// cycles, the epoch number), so they are the same on every run.
/// <list type="bullet">
/// <item>With affinity, a vCPU stays on the CPU it ran on, except that while one CPU has at
/// least two more active vCPUs than another, the busiest gives one to the least busy: an idle
/// CPU takes work from a busy one. Active means runnable now or busy during the last epoch; a
/// vCPU waiting in WAIT the whole epoch does not need a CPU.</item>
/// <item>Without affinity, the vCPUs are dealt out afresh each epoch as from a shared run
/// queue, starting one CPU further on each time: perfectly even counts, but a vCPU rarely
/// finds the CPU it left, and each move costs a machine switch and a cold machine TLB.</item>
/// </list>
/// </summary>
public static class LoadBalancer
{
    public static int Rebalance(IReadOnlyDictionary<VcpuKey, VcpuSlot> slots, Dictionary<VcpuKey, int> placement, int pcpus, bool affinity, long epoch = 0)
    {
        var live = slots.Values.Where(s => s.State != VcpuRunState.Halted).Select(s => s.Key).OrderBy(k => k.Vm).ThenBy(k => k.Vcpu).ToList();
        if (!affinity)
        {
            int moved = 0;
            for (int i = 0; i < live.Count; i++)
            {
                int target = (int)((i + epoch) % pcpus);
                moved += placement[live[i]] != target ? 1 : 0;
                placement[live[i]] = target;
            }

            return moved;
        }

        int moves = 0;
        while (true)
        {
            var load = new int[pcpus];
            foreach (var key in live.Where(k => IsActive(slots[k])))
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

            // Move the active vCPU that used the least of the busy CPU last epoch: it loses least from a cold TLB.
            var candidate = live.Where(k => placement[k] == busiest && IsActive(slots[k]))
                .OrderBy(k => slots[k].BusyCyclesLastEpoch).ThenByDescending(k => k.Vm).ThenByDescending(k => k.Vcpu)
                .First();
            placement[candidate] = quietest;
            moves++;
        }
    }

    private static bool IsActive(VcpuSlot slot) =>
        slot.State == VcpuRunState.Runnable || (slot.State == VcpuRunState.Idle && slot.BusyCyclesLastEpoch > 0);
}
