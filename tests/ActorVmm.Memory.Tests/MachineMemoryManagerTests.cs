using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Memory.Tests;

public sealed class MachineMemoryManagerTests : IDisposable
{
    private const uint DevicePpn = 0x1F000;
    private readonly MemoryBlock _machine = new(64 * MachinePage.Size);

    public void Dispose() => _machine.Dispose();

    [Fact]
    public void First_use_of_a_guest_page_allocates_a_machine_page_and_later_uses_find_the_same_one()
    {
        var mm = new MachineMemoryManager(_machine, DevicePpn);
        mm.AddVm(1, 16 * MachinePage.Size);

        var first = mm.Translate(1, new Ppn(3));
        var again = mm.Translate(1, new Ppn(3));

        Assert.Equal(GuestPageKind.Memory, first.Kind);
        Assert.True(first.Fresh);
        Assert.False(again.Fresh);
        Assert.Equal(first.Mpn, again.Mpn);
        Assert.Equal(1u, mm.AllocatedPages);
        Assert.True(mm.TryGetOwner(first.Mpn, out int vm, out var ppn));
        Assert.Equal((1, new Ppn(3)), (vm, ppn));
    }

    [Fact]
    public void A_page_beyond_the_vms_memory_is_refused_and_allocates_nothing()
    {
        var mm = new MachineMemoryManager(_machine, DevicePpn);
        mm.AddVm(1, 16 * MachinePage.Size);

        var refused = mm.Translate(1, new Ppn(16));

        Assert.Equal(GuestPageKind.OutsideVm, refused.Kind);
        Assert.Equal(0u, mm.AllocatedPages);
    }

    [Fact]
    public void No_ppn_of_one_vm_ever_reaches_a_machine_page_of_another()
    {
        var mm = new MachineMemoryManager(_machine, DevicePpn);
        mm.AddVm(1, 8 * MachinePage.Size);
        mm.AddVm(2, 8 * MachinePage.Size);
        var owned = new Dictionary<Mpn, int>();
        for (uint p = 0; p < 20; p++)
        {
            foreach (int vm in new[] { 1, 2 })
            {
                var m = mm.Translate(vm, new Ppn(p));
                if (m.IsMemory)
                {
                    Assert.True(!owned.TryGetValue(m.Mpn, out int owner) || owner == vm, $"{m.Mpn} reached by VM {vm} and VM {owner}");
                    owned[m.Mpn] = vm;
                }
                else
                {
                    Assert.True(p >= 8, $"PPN {p} of VM {vm} refused although inside its memory");
                }
            }
        }

        Assert.Equal(16, owned.Count);
    }

    [Fact]
    public void The_device_page_is_never_backed_by_machine_memory()
    {
        var mm = new MachineMemoryManager(_machine, DevicePpn);
        mm.AddVm(1, 16 * MachinePage.Size);

        Assert.Equal(GuestPageKind.Device, mm.Translate(1, new Ppn(DevicePpn)).Kind);
        Assert.Equal(0u, mm.AllocatedPages);
    }

    [Fact]
    public void Exhausted_machine_memory_is_reported_not_thrown()
    {
        using var small = new MemoryBlock(2 * MachinePage.Size);
        var mm = new MachineMemoryManager(small, DevicePpn);
        mm.AddVm(1, 16 * MachinePage.Size);

        Assert.True(mm.Translate(1, new Ppn(0)).IsMemory);
        Assert.True(mm.Translate(1, new Ppn(1)).IsMemory);
        Assert.Equal(GuestPageKind.MachineMemoryExhausted, mm.Translate(1, new Ppn(2)).Kind);
    }

    [Fact]
    public void A_released_page_comes_back_zeroed_to_the_next_vm()
    {
        var mm = new MachineMemoryManager(_machine, DevicePpn);
        mm.AddVm(1, 4 * MachinePage.Size);
        var page = mm.Translate(1, new Ppn(0)).Mpn;
        _machine.WriteUInt32(page.Address + 100, 0xDEADBEEF);

        Assert.Equal(1u, mm.ReleaseVm(1));
        mm.AddVm(2, 4 * MachinePage.Size);
        var reused = mm.Translate(2, new Ppn(0));

        Assert.Equal(page, reused.Mpn);
        Assert.Equal(0u, _machine.ReadUInt32(reused.Mpn.Address + 100));
        Assert.Equal(1u, mm.AllocatedPages);
    }
}
