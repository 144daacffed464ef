using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Memory.Tests;

/// <summary>
/// The memory manager against a model, over long random runs of VMs arriving, touching pages
/// (in range, beyond their memory, the device page) and halting, on a machine small enough to
/// run out. After every step: each VM's pmap and the memmap agree with the model, no machine
/// page belongs to two VMs, the allocator's counts add up, and the bytes a VM wrote are still
/// there while a page it has never written reads as zeros, whoever used the machine page before.
/// </summary>
public sealed class MachineMemoryModelTests
{
    private const uint DevicePpn = 0x1F000;
    private const uint MachinePages = 48;

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 5, 8, 13, 21, 34, 55, 89 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Pmaps_memmap_and_machine_bytes_stay_consistent_over_a_random_run(int seed)
    {
        var random = new Random(seed);
        using var machine = new MemoryBlock(MachinePages * MachinePage.Size);
        var mm = new MachineMemoryManager(machine, DevicePpn);
        var model = new Dictionary<int, (uint Pages, Dictionary<uint, Mpn> Map)>();
        int nextVm = 1;
        int exhausted = 0, refused = 0, released = 0;

        for (int step = 0; step < 3000; step++)
        {
            int action = random.Next(100);
            if (action < 5 || model.Count == 0)
            {
                uint pages = (uint)random.Next(1, 40);
                mm.AddVm(nextVm, pages * MachinePage.Size);
                model[nextVm++] = (pages, new Dictionary<uint, Mpn>());
            }
            else if (action < 9)
            {
                int vm = Pick(random, model.Keys);
                Assert.Equal((uint)model[vm].Map.Count, mm.ReleaseVm(vm));
                model.Remove(vm);
                released++;
            }
            else
            {
                int vm = random.Next(12) == 0 ? nextVm + 7 : Pick(random, model.Keys); // now and then a VM this node does not know
                var (pages, map) = model.TryGetValue(vm, out var known) ? known : (0u, new Dictionary<uint, Mpn>());
                uint ppn = random.Next(20) switch
                {
                    0 => DevicePpn,
                    1 => pages + (uint)random.Next(0, 100), // beyond the VM's memory
                    _ => (uint)random.Next(0, (int)Math.Max(1, pages)),
                };

                uint freeBefore = mm.FreePages;
                var mapping = mm.Translate(vm, new Ppn(ppn));
                Assert.Equal(new Ppn(ppn), mapping.Ppn);
                if (ppn == DevicePpn)
                {
                    Assert.Equal(GuestPageKind.Device, mapping.Kind);
                }
                else if (!model.ContainsKey(vm) || ppn >= pages)
                {
                    Assert.Equal(GuestPageKind.OutsideVm, mapping.Kind);
                    refused++;
                }
                else if (map.TryGetValue(ppn, out var mpn))
                {
                    Assert.Equal(new GuestPageMapping(new Ppn(ppn), GuestPageKind.Memory, mpn), mapping);
                    Assert.Equal(Marker(vm, ppn), machine.ReadUInt32(mpn.Address)); // what the VM wrote is still there
                }
                else if (freeBefore == 0)
                {
                    Assert.Equal(GuestPageKind.MachineMemoryExhausted, mapping.Kind);
                    exhausted++;
                }
                else
                {
                    Assert.Equal(GuestPageKind.Memory, mapping.Kind);
                    Assert.True(mapping.Fresh);
                    Assert.True(machine.Slice(mapping.Mpn.Address, (int)MachinePage.Size).IndexOfAnyExcept((byte)0) < 0,
                        $"a fresh machine page for VM {vm} {mapping.Ppn} holds an earlier owner's bytes");
                    map[ppn] = mapping.Mpn;
                    machine.WriteUInt32(mapping.Mpn.Address, Marker(vm, ppn));
                    machine.WriteUInt32(mapping.Mpn.Address + MachinePage.Size - 4, Marker(vm, ppn));
                }

                if (mapping.Kind != GuestPageKind.Memory || !mapping.Fresh)
                {
                    Assert.Equal(freeBefore, mm.FreePages); // nothing allocated unless a page was handed out
                }
            }

            CheckInvariants(mm, model);
        }

        // The run went through every branch, or it proves less than it says.
        Assert.True(exhausted > 0 && refused > 0 && released > 0, $"exhausted {exhausted}, refused {refused}, released {released}");
    }

    private static void CheckInvariants(MachineMemoryManager mm, Dictionary<int, (uint Pages, Dictionary<uint, Mpn> Map)> model)
    {
        var owners = new Dictionary<Mpn, (int Vm, uint Ppn)>();
        foreach (var (vm, (pages, map)) in model)
        {
            var pmap = mm.PmapOf(vm);
            Assert.Equal(pages, pmap.PageCount);
            Assert.Equal(map.OrderBy(kv => kv.Key).Select(kv => (new Ppn(kv.Key), kv.Value)), pmap.Mappings());
            foreach (var (ppn, mpn) in map)
            {
                Assert.True(owners.TryAdd(mpn, (vm, ppn)), $"{mpn} belongs to VM {vm} and to VM {owners.GetValueOrDefault(mpn).Vm}");
                Assert.True(mm.TryGetOwner(mpn, out int ownerVm, out var ownerPpn));
                Assert.Equal((vm, new Ppn(ppn)), (ownerVm, ownerPpn));
            }
        }

        Assert.Equal((uint)owners.Count, mm.AllocatedPages);
        Assert.Equal(MachinePages, mm.AllocatedPages + mm.FreePages);
        for (uint i = 0; i < MachinePages; i++)
        {
            var mpn = new Mpn(i);
            Assert.Equal(owners.ContainsKey(mpn), mm.TryGetOwner(mpn, out _, out _));
        }

        Assert.Equal(model.Keys.Order(), mm.Vms.Order());
    }

    private static uint Marker(int vm, uint ppn) => 0xA5000000u | ((uint)vm << 12) | ppn;

    private static int Pick(Random random, IEnumerable<int> vms)
    {
        var list = vms.ToList();
        return list[random.Next(list.Count)];
    }
}
