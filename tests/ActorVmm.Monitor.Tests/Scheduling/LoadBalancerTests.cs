using ActorVmm.Monitor;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// Placement at an epoch boundary: from the busiest CPU to the least busy until the live
/// counts differ by less than two, the vCPU that used the busy CPU least moving first, the
/// same choice on every run; without affinity, vCPUs are dealt out round robin.
/// </summary>
public sealed class LoadBalancerTests
{
    [Fact]
    public void Moves_from_the_busiest_cpu_until_the_loads_differ_by_less_than_two()
    {
        var slots = Slots((1, 500), (2, 100), (3, 100), (4, 900));
        var placement = Place(slots, 0, 0, 0, 0);

        int moves = LoadBalancer.Rebalance(slots, placement, pcpus: 2, affinity: true);

        // Least busy first; between equals, the higher VM (3 before 2).
        Assert.Equal(2, moves);
        Assert.Equal(Expected((1, 0), (2, 1), (3, 1), (4, 0)), placement);
    }

    [Fact]
    public void With_three_cpus_each_move_goes_to_the_currently_least_loaded_lowest_numbered_cpu()
    {
        var slots = Slots((1, 100), (2, 200), (3, 300), (4, 400), (5, 500));
        var placement = Place(slots, 0, 0, 0, 0, 0);

        int moves = LoadBalancer.Rebalance(slots, placement, pcpus: 3, affinity: true);

        Assert.Equal(3, moves);
        Assert.Equal(Expected((1, 1), (2, 2), (3, 1), (4, 0), (5, 0)), placement);
    }

    [Fact]
    public void Nothing_moves_when_the_loads_differ_by_less_than_two()
    {
        var slots = Slots((1, 0), (2, 10_000), (3, 5));
        var placement = Place(slots, 0, 1, 0);
        var before = new Dictionary<VcpuKey, int>(placement);

        Assert.Equal(0, LoadBalancer.Rebalance(slots, placement, pcpus: 2, affinity: true));
        Assert.Equal(before, placement);
    }

    [Fact]
    public void Halted_vcpus_neither_count_nor_move()
    {
        var slots = Slots((1, 100), (2, 200), (3, 300), (4, 0), (5, 0));
        slots[Key(4)] = slots[Key(4)] with { State = VcpuRunState.Halted };
        slots[Key(5)] = slots[Key(5)] with { State = VcpuRunState.Halted };
        var placement = Place(slots, 0, 0, 0, 1, 1);

        int moves = LoadBalancer.Rebalance(slots, placement, pcpus: 2, affinity: true);

        // Live loads are 3 and 0 (not 3 and 2): one move.
        Assert.Equal(1, moves);
        Assert.Equal(Expected((1, 1), (2, 0), (3, 0), (4, 1), (5, 1)), placement);
    }

    [Fact]
    public void Idle_vcpus_count_as_live()
    {
        var slots = Slots((1, 100), (2, 200), (3, 300));
        slots[Key(1)] = slots[Key(1)] with { State = VcpuRunState.Idle, WakeAt = 1_000_000 };
        var placement = Place(slots, 0, 0, 0);

        Assert.Equal(1, LoadBalancer.Rebalance(slots, placement, pcpus: 2, affinity: true));
        Assert.Equal(1, placement[Key(1)]);
    }

    [Fact]
    public void The_choice_is_the_same_whatever_order_the_dictionaries_list_the_vcpus_in()
    {
        var forward = Slots((1, 7), (2, 7), (3, 7), (4, 7), (5, 7), (6, 7));
        var backward = new Dictionary<VcpuKey, VcpuSlot>(forward.Reverse());
        var p1 = Place(forward, 0, 0, 0, 0, 0, 0);
        var p2 = new Dictionary<VcpuKey, int>(p1.Reverse());

        LoadBalancer.Rebalance(forward, p1, pcpus: 3, affinity: true);
        LoadBalancer.Rebalance(backward, p2, pcpus: 3, affinity: true);

        Assert.Equal(p1, p2);
        Assert.Equal(Expected((1, 0), (2, 0), (3, 2), (4, 1), (5, 2), (6, 1)), p1);
    }

    [Fact]
    public void Without_affinity_the_live_vcpus_are_dealt_round_robin_in_vm_order()
    {
        var slots = Slots((3, 0), (1, 0), (4, 0), (2, 0), (5, 0));
        slots[Key(4)] = slots[Key(4)] with { State = VcpuRunState.Halted };
        var placement = Place(slots, 1, 1, 1, 1, 1);

        LoadBalancer.Rebalance(slots, placement, pcpus: 3, affinity: false);

        // Live in order: 1, 2, 3, 5 -> CPUs 0, 1, 2, 0. The halted vCPU 4 stays where it was.
        Assert.Equal(Expected((1, 0), (2, 1), (3, 2), (4, 1), (5, 0)), placement);
    }

    [Fact]
    public void Without_affinity_each_epoch_deals_from_one_cpu_further_on_and_counts_real_moves()
    {
        var slots = Slots((1, 0), (2, 0), (3, 0), (4, 0));
        var placement = Place(slots, 0, 1, 2, 0);

        Assert.Equal(0, LoadBalancer.Rebalance(slots, placement, pcpus: 3, affinity: false, epoch: 0));
        Assert.Equal(Expected((1, 0), (2, 1), (3, 2), (4, 0)), placement);

        Assert.Equal(4, LoadBalancer.Rebalance(slots, placement, pcpus: 3, affinity: false, epoch: 1));
        Assert.Equal(Expected((1, 1), (2, 2), (3, 0), (4, 1)), placement);

        Assert.Equal(4, LoadBalancer.Rebalance(slots, placement, pcpus: 3, affinity: false, epoch: 5));
        Assert.Equal(Expected((1, 2), (2, 0), (3, 1), (4, 2)), placement);
    }

    [Fact]
    public void A_vcpu_that_waited_the_whole_last_epoch_neither_counts_nor_moves()
    {
        var slots = Slots((1, 300), (2, 200), (3, 0));
        slots[Key(3)] = slots[Key(3)] with { State = VcpuRunState.Idle, WakeAt = 9_000_000 };
        var placement = Place(slots, 0, 0, 0);

        int moves = LoadBalancer.Rebalance(slots, placement, pcpus: 2, affinity: true);

        // Two active vCPUs against none: the less busy active one moves, not the sleeper.
        Assert.Equal(1, moves);
        Assert.Equal(Expected((1, 0), (2, 1), (3, 0)), placement);
    }

    [Fact]
    public void A_vm_with_several_vcpus_is_ordered_by_vcpu_index_too()
    {
        var keys = new[] { new VcpuKey(1, 1), new VcpuKey(1, 0), new VcpuKey(2, 0) };
        var slots = keys.ToDictionary(k => k, k => new VcpuSlot(k, VcpuRunState.Runnable, 0, 0, 0));
        var placement = keys.ToDictionary(k => k, _ => 0);

        LoadBalancer.Rebalance(slots, placement, pcpus: 2, affinity: false);

        Assert.Equal((0, 1, 0), (placement[new VcpuKey(1, 0)], placement[new VcpuKey(1, 1)], placement[new VcpuKey(2, 0)]));
    }

    private static VcpuKey Key(int vm) => new(vm, 0);

    private static Dictionary<VcpuKey, VcpuSlot> Slots(params (int Vm, long Busy)[] vcpus) =>
        vcpus.ToDictionary(v => Key(v.Vm), v => new VcpuSlot(Key(v.Vm), VcpuRunState.Runnable, 0, 0, v.Busy));

    /// <summary>Placement of the vCPUs of VM 1, 2, ... in that order.</summary>
    private static Dictionary<VcpuKey, int> Place(Dictionary<VcpuKey, VcpuSlot> slots, params int[] pcpus) =>
        slots.Keys.OrderBy(k => k.Vm).Select((k, i) => (k, pcpus[i])).ToDictionary(p => p.k, p => p.Item2);

    private static Dictionary<VcpuKey, int> Expected(params (int Vm, int Pcpu)[] placement) =>
        placement.ToDictionary(p => Key(p.Vm), p => p.Pcpu);
}
