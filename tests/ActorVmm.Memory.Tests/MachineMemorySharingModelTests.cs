using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Memory.Tests;

/// <summary>
/// Page sharing against a model, over long random runs on a machine small enough to run out:
/// VMs arrive with boot images (identical ones shared from the start), touch, write, zero and
/// free pages, get scanned for identical pages, and halt. Writes go as a vCPU's do: a page the
/// memory manager says is shared is first copied (copy-on-write). After every step each VM
/// reads exactly what it wrote (never another VM's bytes), the memmap's owners of each machine
/// page are exactly the (VM, PPN) pairs the pmaps map to it, a page with several owners is
/// copy-on-write, a pinned page is never shared, and the allocator's count equals the machine
/// pages the pmaps use: no page leaked, none freed twice.
/// </summary>
public sealed class MachineMemorySharingModelTests
{
    private const uint DevicePpn = 0x1F000;
    private const uint MachinePages = 64;

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 5, 8, 13 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Sharing_never_leaks_a_write_a_page_or_an_owner(int seed)
    {
        var random = new Random(seed);
        using var machine = new MemoryBlock(MachinePages * MachinePage.Size);
        var mm = new MachineMemoryManager(machine, DevicePpn, new PageSharingSettings(Images: true, Content: true, ScanRate: 16));
        var model = new Dictionary<int, VmModel>();
        int nextVm = 1;
        var seen = new Dictionary<string, int>();

        void Saw(string what) => seen[what] = seen.GetValueOrDefault(what) + 1;

        for (int step = 0; step < 2500; step++)
        {
            int action = random.Next(100);
            if (action < 4 || model.Count == 0)
            {
                // A VM whose boot image is one of two images (so that VMs share), of 2 to 5 pages.
                uint pages = (uint)random.Next(8, 24);
                int image = random.Next(2);
                mm.AddVm(nextVm, pages * MachinePage.Size);
                var vm = new VmModel(pages);
                uint imagePages = 2 + (uint)image * 3;
                bool placed = true;
                var content = new byte[MachinePage.Size];
                for (uint ppn = 0; ppn < imagePages && placed; ppn++)
                {
                    uint value = ppn == 1 ? 0 : ImageWord(image, ppn); // page 1 of each image is zeros
                    BitConverter.TryWriteBytes(content, value);
                    var m = mm.PlaceImagePage(nextVm, new Ppn(ppn), content);
                    placed = m.IsMemory;
                    vm.Words[ppn] = value;
                }

                if (placed)
                {
                    model[nextVm] = vm;
                    Saw("vm");
                }
                else
                {
                    mm.AbandonVm(nextVm);
                    Saw("image refused");
                }

                nextVm++;
            }
            else if (action < 7)
            {
                int vm = Pick(random, model.Keys);
                Assert.Equal((uint)model[vm].Words.Count, mm.ReleaseVm(vm));
                model.Remove(vm);
                Saw("released");
            }
            else if (action < 12)
            {
                var merged = mm.ScanForSharing(random.Next(1, 24), model.Keys.ToList());
                foreach (var (vm, mapping) in merged)
                {
                    Assert.True(mapping.Shared);
                    Assert.Equal(model[vm].Words[mapping.Ppn.Value], machine.ReadUInt32(mapping.Mpn.Address));
                }

                if (merged.Count > 0)
                {
                    Saw("merged");
                }
            }
            else
            {
                int vm = Pick(random, model.Keys);
                var m = model[vm];
                var ppn = new Ppn((uint)random.Next((int)m.Pages));
                switch (random.Next(10))
                {
                    case 0:
                    {
                        var zero = mm.Perform(vm, ppn, PageOperation.Zero);
                        if (zero.IsMemory)
                        {
                            m.Words[ppn.Value] = 0;
                            Assert.True(machine.Slice(zero.Mpn.Address, MachinePage.Size).IndexOfAnyExcept((byte)0) < 0);
                            Saw("zeroed");
                        }

                        break;
                    }

                    case 1 when m.Pinned.Contains(ppn.Value):
                        // The monitor writes a pinned page itself: the guest cannot give it back.
                        Assert.True(mm.Perform(vm, ppn, PageOperation.Release).IsMemory);
                        Saw("pinned kept");
                        break;
                    case 1:
                        Assert.Equal(GuestPageKind.Unbacked, mm.Perform(vm, ppn, PageOperation.Release).Kind);
                        m.Words.Remove(ppn.Value);
                        Saw("freed");
                        break;
                    case 2:
                        if (mm.Perform(vm, ppn, PageOperation.Pin) is { IsMemory: true } pinned)
                        {
                            Assert.False(pinned.Shared);
                            m.Words.TryAdd(ppn.Value, 0);
                            m.Pinned.Add(ppn.Value);
                            Saw("pinned");
                        }

                        break;
                    case 3 or 4 or 5:
                    {
                        // A read: what the VM wrote, or zeros for a page it never had.
                        var read = mm.Translate(vm, ppn);
                        if (read.IsMemory)
                        {
                            m.Words.TryAdd(ppn.Value, 0);
                            Assert.Equal(m.Words[ppn.Value], machine.ReadUInt32(read.Mpn.Address));
                        }
                        else
                        {
                            Assert.Equal(GuestPageKind.MachineMemoryExhausted, read.Kind);
                            Saw("exhausted");
                        }

                        break;
                    }

                    default:
                    {
                        // A write, as a vCPU makes it: copy-on-write first when the page is shared.
                        var write = mm.Translate(vm, ppn);
                        if (write.IsMemory && write.Shared)
                        {
                            write = mm.Perform(vm, ppn, PageOperation.CopyOnWrite);
                            Assert.False(write.IsMemory && write.Shared);
                            Saw(write.IsMemory ? "copy-on-write" : "exhausted");
                        }

                        if (write.IsMemory)
                        {
                            // Now and then the same word as another VM's page, so that the scan finds twins.
                            uint value = random.Next(3) == 0 ? 0x5A5A0000u | ppn.Value : (uint)random.Next();
                            machine.WriteUInt32(write.Mpn.Address, value);
                            m.Words[ppn.Value] = value;
                        }

                        break;
                    }
                }
            }

            CheckInvariants(mm, machine, model);
        }

        foreach (string what in new[] { "vm", "released", "merged", "zeroed", "freed", "pinned", "pinned kept", "copy-on-write", "exhausted" })
        {
            Assert.True(seen.GetValueOrDefault(what) > 0, $"the run never went through '{what}': {string.Join(", ", seen)}");
        }
    }

    private static void CheckInvariants(MachineMemoryManager mm, MemoryBlock machine, Dictionary<int, VmModel> model)
    {
        var owners = new Dictionary<Mpn, HashSet<(int, uint)>>();
        foreach (var (vm, m) in model)
        {
            var mappings = mm.PmapOf(vm).Mappings().ToList();
            Assert.Equal(m.Words.Keys.Order(), mappings.Select(x => x.Ppn.Value));
            foreach (var (ppn, mpn) in mappings)
            {
                // Each VM sees exactly its own bytes, whatever the others did.
                Assert.Equal(m.Words[ppn.Value], machine.ReadUInt32(mpn.Address));
                if (!owners.TryGetValue(mpn, out var set))
                {
                    owners[mpn] = set = new HashSet<(int, uint)>();
                }

                set.Add((vm, ppn.Value));
                if (m.Pinned.Contains(ppn.Value))
                {
                    Assert.False(mm.IsShared(mpn), $"VM {vm}'s pinned {ppn} is shared");
                }
            }
        }

        foreach (var (mpn, set) in owners)
        {
            Assert.Equal(set.OrderBy(o => o), mm.OwnersOf(mpn).Select(o => (o.VmId, o.Ppn.Value)).OrderBy(o => o));
            if (set.Count > 1)
            {
                Assert.True(mm.IsShared(mpn), $"{mpn} has {set.Count} owners but is writable");
            }
        }

        Assert.Equal((uint)owners.Count, mm.AllocatedPages);
        Assert.Equal(MachinePages, mm.AllocatedPages + mm.FreePages);
    }

    private static uint ImageWord(int image, uint ppn) => 0x1A000000u | ((uint)image << 8) | ppn;

    private static int Pick(Random random, IEnumerable<int> vms)
    {
        var list = vms.ToList();
        return list[random.Next(list.Count)];
    }

    private sealed class VmModel(uint pages)
    {
        public uint Pages { get; } = pages;

        /// <summary>The first word of each page the VM has backed: what it must read.</summary>
        public Dictionary<uint, uint> Words { get; } = new();

        public HashSet<uint> Pinned { get; } = new();
    }
}
