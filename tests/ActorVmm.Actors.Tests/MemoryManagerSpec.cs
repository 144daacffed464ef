using System.Buffers.Binary;
using System.Collections.Immutable;
using ActorVmm.Monitor;
using ActorVmm.Actors.Tests.Support;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;
using static ActorVmm.Actors.MemoryManagerProtocol;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// The MemoryManager actor: each VM's pmap (PPN → MPN), allocation on first use, refusals,
/// release, and the usage report. Machine memory here is 2 MB (512 pages), small enough to
/// exhaust.
/// </summary>
public sealed class MemoryManagerSpec : NodeSpec
{
    private const uint MachinePages = 512;
    private const uint VmBytes = 1u << 20; // 256 guest pages
    private const uint DevicePpn = 0x1F000;

    private readonly IActorRef _manager;
    private long _correlation;

    public MemoryManagerSpec(ITestOutputHelper output)
        : base(MachinePages * MachinePage.Size, output)
    {
        _manager = Sys.ActorOf(Props.Create(() => new MemoryManager()), "memory");
    }

    [Fact]
    public void RegisterVm_places_the_kernel_image_at_the_machine_pages_the_pmap_gives()
    {
        var elf = ElfImage.Parse(File.ReadAllBytes(Repo.KernelPath), "kernel.elf");
        var plan = KernelBootLoader.Plan(elf, new BootConfiguration(VmBytes, "run=compute verbose"));
        var imagePages = PagesWithBytes(elf, plan);

        _manager.Tell(new RegisterVm(1, VmBytes, plan));
        var registered = ExpectMsg<VmRegistered>(r => r.Vm == 1);

        Assert.Equal(imagePages.Count, registered.ImagePages);
        Assert.True(registered.ImagePages > 50, $"the guest kernel is about 330 KB; got {registered.ImagePages} pages");

        // The pages already exist (not Fresh), and hold exactly the ELF's bytes.
        var mappings = Translate(1, imagePages);
        Assert.All(mappings, m =>
        {
            Assert.Equal(GuestPageKind.Memory, m.Kind);
            Assert.False(m.Fresh, $"{m.Ppn} should have been allocated by RegisterVm");
        });
        var mpnOf = mappings.ToDictionary(m => m.Ppn, m => m.Mpn);
        foreach (var segment in elf.Segments.Where(s => s.FileSize > 0))
        {
            Assert.Equal(segment.Data.ToArray(), ReadGuest(mpnOf, segment.PhysicalAddress, (int)segment.FileSize));
        }

        // The boot-info block and the command line after it.
        uint bootInfo = plan.BootInfoVirtualAddress - KernelBootLoader.KssegBase;
        var info = ReadGuest(mpnOf, bootInfo, BootInfo.Size + "run=compute verbose".Length + 1);
        Assert.Equal(BootInfo.Magic, BinaryPrimitives.ReadUInt32LittleEndian(info));
        Assert.Equal(VmBytes, BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(8)));
        Assert.Equal("run=compute verbose\0", System.Text.Encoding.ASCII.GetString(info, BootInfo.Size, info.Length - BootInfo.Size));
    }

    [Fact]
    public void A_page_is_allocated_zeroed_on_first_use_and_the_same_machine_page_comes_back_after()
    {
        Register(1, TinyPlan(0x11));
        uint before = Usage().AllocatedPages;

        var first = Translate(1, [new Ppn(0x80)]).Single();
        Assert.Equal(new GuestPageMapping(new Ppn(0x80), GuestPageKind.Memory, first.Mpn, Fresh: true), first);
        Assert.All(MachineMemory.Slice(first.Mpn.Address, MachinePage.Size).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(before + 1, Usage().AllocatedPages);

        var second = Translate(1, [new Ppn(0x80)]).Single();
        Assert.Equal(new GuestPageMapping(new Ppn(0x80), GuestPageKind.Memory, first.Mpn, Fresh: false), second);
        Assert.Equal(before + 1, Usage().AllocatedPages);
    }

    [Fact]
    public void Pages_outside_the_vm_are_refused_and_nothing_is_allocated_for_them()
    {
        Register(1, TinyPlan(0x11));
        uint before = Usage().AllocatedPages;
        uint firstOutside = VmBytes >> MachinePage.Shift;

        var mappings = Translate(1, [new Ppn(firstOutside), new Ppn(0x1EFFF), new Ppn(0xFFFFF)]);

        Assert.Equal(
            [
                new GuestPageMapping(new Ppn(firstOutside), GuestPageKind.OutsideVm, default),
                new GuestPageMapping(new Ppn(0x1EFFF), GuestPageKind.OutsideVm, default),
                new GuestPageMapping(new Ppn(0xFFFFF), GuestPageKind.OutsideVm, default),
            ],
            mappings);
        Assert.Equal(before, Usage().AllocatedPages);
    }

    [Fact]
    public void The_device_page_is_reported_as_device_and_never_backed_by_machine_memory()
    {
        Register(1, TinyPlan(0x11));
        uint before = Usage().AllocatedPages;

        var mappings = Translate(1, [new Ppn(0x10), new Ppn(DevicePpn), new Ppn(VmBytes >> MachinePage.Shift)]);

        Assert.Equal(GuestPageKind.Memory, mappings[0].Kind);
        Assert.Equal(new GuestPageMapping(new Ppn(DevicePpn), GuestPageKind.Device, default), mappings[1]);
        Assert.Equal(GuestPageKind.OutsideVm, mappings[2].Kind);
        Assert.Equal(before + 1, Usage().AllocatedPages);
    }

    [Fact]
    public void Two_vms_never_share_a_machine_page_and_each_keeps_its_own_image()
    {
        Register(1, TinyPlan(0x11));
        Register(2, TinyPlan(0x22));
        var pages = Enumerable.Range(0, 40).Select(i => new Ppn((uint)i)).ToList();

        // Interleave the two VMs' first uses so that the allocator hands out neighbouring pages.
        var vm1 = new List<GuestPageMapping>();
        var vm2 = new List<GuestPageMapping>();
        foreach (var ppn in pages)
        {
            vm1.AddRange(Translate(1, [ppn]));
            vm2.AddRange(Translate(2, [ppn]));
        }

        Assert.All(vm1.Concat(vm2), m => Assert.Equal(GuestPageKind.Memory, m.Kind));
        var mpns1 = vm1.Select(m => m.Mpn).ToHashSet();
        var mpns2 = vm2.Select(m => m.Mpn).ToHashSet();
        Assert.Equal(40, mpns1.Count);
        Assert.Equal(40, mpns2.Count);
        Assert.Empty(mpns1.Intersect(mpns2));

        // Each VM's code page holds its own bytes: VM 2's image did not land in VM 1's page.
        var code1 = vm1.Single(m => m.Ppn == TinyKernel.CodePpn).Mpn;
        var code2 = vm2.Single(m => m.Ppn == TinyKernel.CodePpn).Mpn;
        Assert.Equal(0x11111111u, MachineMemory.ReadUInt32(code1.Address));
        Assert.Equal(0x22222222u, MachineMemory.ReadUInt32(code2.Address));
    }

    [Fact]
    public void When_machine_memory_runs_out_the_reply_says_so_page_by_page()
    {
        // VMs may be given more memory than the machine has: pages are allocated on first use.
        Register(1, TinyPlan(0x11), memoryBytes: 4u << 20);
        uint used = Usage().AllocatedPages; // the image's one page
        Assert.Equal(1u, used);

        var pages = Enumerable.Range(0x100, 600).Select(i => new Ppn((uint)i)).ToList();
        var mappings = Translate(1, pages);

        int fit = (int)(MachinePages - used);
        Assert.All(mappings.Take(fit), m => Assert.Equal((GuestPageKind.Memory, true), (m.Kind, m.Fresh)));
        Assert.All(mappings.Skip(fit), m => Assert.Equal(new GuestPageMapping(m.Ppn, GuestPageKind.MachineMemoryExhausted, default), m));
        Assert.Equal(pages, mappings.Select(m => m.Ppn));

        var usage = Usage();
        Assert.Equal(MachinePages, usage.AllocatedPages);
        Assert.Equal(MachinePages, usage.PagesByVm[1]);
        Assert.Equal(MachinePages, usage.PeakAllocatedPages);
    }

    [Fact]
    public void A_kernel_that_does_not_fit_in_the_free_machine_memory_is_refused_and_its_pages_given_back()
    {
        Register(1, TinyPlan(0x11), memoryBytes: 4u << 20);
        // Leave 10 free machine pages; the kernel image needs far more.
        Translate(1, Enumerable.Range(0x100, (int)MachinePages - 1 - 10).Select(i => new Ppn((uint)i)).ToList());
        Assert.Equal(MachinePages - 10, Usage().AllocatedPages);

        var elf = ElfImage.Parse(File.ReadAllBytes(Repo.KernelPath), "kernel.elf");
        _manager.Tell(new RegisterVm(2, VmBytes, KernelBootLoader.Plan(elf, new BootConfiguration(VmBytes))));
        var refused = ExpectMsg<VmRefused>(r => r.Vm == 2);
        Assert.Contains("MachineMemoryExhausted", refused.Reason);

        var usage = Usage();
        Assert.Equal(MachinePages - 10, usage.AllocatedPages);
        Assert.False(usage.PagesByVm.ContainsKey(2));

        // The refused VM left no pmap behind: the same id can be registered again.
        Register(2, TinyPlan(0x22));
    }

    [Fact]
    public void ReleaseVm_gives_every_page_back_and_a_later_vm_only_ever_sees_zeros()
    {
        // An image of 8 pages of 0xAB, then 2 more pages touched.
        var image = Enumerable.Repeat((byte)0xAB, 8 * MachinePage.Size).ToArray();
        Register(1, TinyKernel.PlanWithWrites(VmBytes, [new PhysicalWrite(0, image)]), expectedImagePages: 8);
        var vm1 = Translate(1, Enumerable.Range(0, 10).Select(i => new Ppn((uint)i)).ToList());
        Assert.All(vm1.Take(8), m => Assert.Equal(0xABABABABu, MachineMemory.ReadUInt32(m.Mpn.Address + 0xFFC)));

        _manager.Tell(new ReleaseVm(1));
        ExpectMsg<VmReleased>(r => r.Vm == 1 && r.Pages == 10);
        Assert.Equal(0u, Usage().AllocatedPages);

        Register(2, TinyKernel.PlanWithWrites(VmBytes, []), expectedImagePages: 0);
        var vm2 = Translate(2, Enumerable.Range(0, 10).Select(i => new Ppn((uint)i)).ToList());

        // The allocator reuses the freed pages (lowest first), so this really checks the zeroing.
        Assert.Equal(vm1.Select(m => m.Mpn).ToHashSet(), vm2.Select(m => m.Mpn).ToHashSet());
        Assert.All(vm2, m =>
        {
            Assert.True(m.Fresh);
            Assert.True(MachineMemory.Slice(m.Mpn.Address, MachinePage.Size).IndexOfAnyExcept((byte)0) < 0, $"{m.Mpn} still holds VM 1's bytes");
        });
    }

    [Fact]
    public void Releasing_a_vm_that_has_no_pmap_releases_nothing()
    {
        Register(1, TinyPlan(0x11));
        _manager.Tell(new ReleaseVm(7));
        ExpectMsg<VmReleased>(r => r.Vm == 7 && r.Pages == 0);
        Assert.Equal(1u, Usage().AllocatedPages);
    }

    [Fact]
    public void GetUsage_counts_total_allocated_per_vm_and_peak_pages()
    {
        var empty = Usage();
        Assert.Equal((MachinePages, 0u, 0, 0u), (empty.TotalPages, empty.AllocatedPages, empty.PagesByVm.Count, empty.PeakAllocatedPages));

        Register(1, TinyPlan(0x11));                                    // 1 page
        Translate(1, [new Ppn(2), new Ppn(3), new Ppn(3), new Ppn(DevicePpn)]); // +2 (3 twice, the device none)
        Register(2, TinyPlan(0x22));                                    // 1 page
        Translate(2, [new Ppn(0x20), new Ppn(0x400)]);                  // +1 (0x400 is outside)

        var usage = Usage();
        Assert.Equal(MachinePages, usage.TotalPages);
        Assert.Equal(5u, usage.AllocatedPages);
        Assert.Equal(new Dictionary<int, uint> { [1] = 3, [2] = 2 }, usage.PagesByVm);
        Assert.Equal(5u, usage.PeakAllocatedPages);

        // A released VM's pages go back to the allocator; what it used stays in the report.
        _manager.Tell(new ReleaseVm(1));
        ExpectMsg<VmReleased>(r => r.Vm == 1 && r.Pages == 3);
        usage = Usage();
        Assert.Equal(2u, usage.AllocatedPages);
        Assert.Equal(new Dictionary<int, uint> { [1] = 3, [2] = 2 }, usage.PagesByVm);
        Assert.Equal(5u, usage.PeakAllocatedPages);
    }

    [Fact]
    public void The_reply_carries_the_askers_correlation_and_vm()
    {
        Register(3, TinyPlan(0x33));
        _manager.Tell(new TranslatePages(3, [new Ppn(5)], 424242));
        var reply = ExpectMsg<PagesTranslated>();
        Assert.Equal((3, 424242L), (reply.Vm, reply.Correlation));
        Assert.Equal(new Ppn(5), reply.Mappings.Single().Ppn);
    }

    [Fact]
    public void Registering_a_vm_id_twice_is_refused_without_touching_the_registered_vm()
    {
        Register(1, TinyPlan(0x11));
        var code = Translate(1, [TinyKernel.CodePpn]).Single();

        _manager.Tell(new RegisterVm(1, VmBytes, TinyPlan(0x99)));
        ExpectMsg<VmRefused>(r => r.Vm == 1);

        // VM 1 keeps its pmap and its bytes.
        var again = Translate(1, [TinyKernel.CodePpn]).Single();
        Assert.Equal(code with { Fresh = false }, again);
        Assert.Equal(0x11111111u, MachineMemory.ReadUInt32(code.Mpn.Address));
        Assert.Equal(1u, Usage().AllocatedPages);
    }

    [Fact]
    public void A_translation_for_a_vm_without_a_pmap_does_not_make_the_manager_forget_the_other_vms()
    {
        // E.g. a TLB write of a VM whose memory was just released, still in flight.
        Register(1, TinyPlan(0x11));
        var code = Translate(1, [TinyKernel.CodePpn]).Single();

        _manager.Tell(new TranslatePages(9, [new Ppn(1)], 77));
        _manager.Tell(new TranslatePages(1, [TinyKernel.CodePpn], 78));

        // VM 9 has no memory on this node: refused, like any page outside a VM.
        var refused = ExpectMsg<PagesTranslated>(t => t.Correlation == 77);
        Assert.Equal((9, new GuestPageMapping(new Ppn(1), GuestPageKind.OutsideVm, default)), (refused.Vm, refused.Mappings.Single()));

        // And VM 1 is answered with the machine page it already had.
        var again = ExpectMsg<PagesTranslated>(t => t.Correlation == 78);
        Assert.Equal(code with { Fresh = false }, again.Mappings.Single());
        Assert.Equal(1u, Usage().AllocatedPages);
    }

    [Fact]
    public void An_exported_vm_arrives_whole_in_the_other_nodes_machine_memory_and_leaves_nothing_here()
    {
        // Another node's memory manager, with machine memory of its own.
        using var otherMemory = new MemoryBlock(2u << 20);
        var target = Sys.ActorOf(Props.Create(() => new MemoryManager(otherMemory)), "other-memory");

        // A VM with 40 touched pages (three chunks), each holding its own pattern.
        Register(1, TinyPlan(0x11));
        var pages = Translate(1, Enumerable.Range(2, 39).Select(i => new Ppn((uint)i)).ToList());
        foreach (var m in pages)
        {
            MachineMemory.WriteUInt32(m.Mpn.Address + 0x10, 0xC0DE0000u | m.Ppn.Value);
        }

        uint before = Usage().AllocatedPages;
        _manager.Tell(new ExportVm(1, target));
        var exported = ExpectMsg<VmExported>(TimeSpan.FromSeconds(10));

        Assert.Equal((1, 40, 40L * MachinePage.Size), (exported.Vm, exported.Pages, exported.Bytes));
        Assert.Equal(before - 40, Usage().AllocatedPages); // none of its pages remains here
        Assert.DoesNotContain(Translate(1, [new Ppn(2)]), m => m.IsMemory); // nor its pmap

        // There: every page, with its bytes, in the VM's pmap; the image page too.
        target.Tell(new GetUsage(), TestActor);
        Assert.Equal(40u, ExpectMsg<MemoryUsage>().AllocatedPages);
        target.Tell(new TranslatePages(1, [.. pages.Select(p => p.Ppn)], 5), TestActor);
        var there = ExpectMsg<PagesTranslated>();
        Assert.All(there.Mappings, m =>
        {
            Assert.True(m.IsMemory && !m.Fresh, $"{m.Ppn} was not imported");
            Assert.Equal(0xC0DE0000u | m.Ppn.Value, otherMemory.ReadUInt32(m.Mpn.Address + 0x10));
        });
    }

    [Fact]
    public void An_import_that_does_not_fit_is_refused_and_leaves_nothing_of_the_vm()
    {
        Register(1, TinyPlan(0x11));
        var page = new GuestPageImage(new Ppn(3), [.. new byte[MachinePage.Size]]);
        uint before = Usage().AllocatedPages;

        _manager.Tell(new ImportPages(2, VmBytes, 0, [page, page with { Ppn = new Ppn(999) }]));

        Assert.Contains("no machine page for PPN 0x3E7", ExpectMsg<ImportRefused>().Reason);
        Assert.Equal(before, Usage().AllocatedPages);
        Assert.False(Usage().PagesByVm.ContainsKey(2));
    }

    private static BootPlan TinyPlan(byte fill) =>
        TinyKernel.PlanWithWrites(VmBytes, [new PhysicalWrite(TinyKernel.CodePhysical, Enumerable.Repeat(fill, 16).ToArray())]);

    private void Register(int vm, BootPlan plan, uint memoryBytes = VmBytes, int expectedImagePages = 1)
    {
        _manager.Tell(new RegisterVm(vm, memoryBytes, plan));
        var registered = ExpectMsg<VmRegistered>();
        Assert.Equal(new VmRegistered(vm, expectedImagePages), registered);
    }

    private List<GuestPageMapping> Translate(int vm, IReadOnlyCollection<Ppn> pages)
    {
        long correlation = ++_correlation;
        _manager.Tell(new TranslatePages(vm, [.. pages], correlation));
        var reply = ExpectMsg<PagesTranslated>(t => t.Correlation == correlation);
        Assert.Equal(vm, reply.Vm);
        Assert.Equal(pages.Count, reply.Mappings.Length);
        return [.. reply.Mappings];
    }

    private MemoryUsage Usage()
    {
        _manager.Tell(new GetUsage());
        return ExpectMsg<MemoryUsage>();
    }

    /// <summary>Guest-physical pages that hold bytes of the image (segments' file bytes, boot info and command line).</summary>
    private static List<Ppn> PagesWithBytes(ElfImage elf, BootPlan plan)
    {
        var pages = new SortedSet<uint>();
        void Add(ulong start, ulong length)
        {
            for (ulong a = start & ~(ulong)MachinePage.OffsetMask; a < start + length; a += MachinePage.Size)
            {
                pages.Add((uint)(a >> MachinePage.Shift));
            }
        }

        foreach (var s in elf.Segments.Where(s => s.FileSize > 0))
        {
            Add(s.PhysicalAddress, s.FileSize);
        }

        uint bootInfo = plan.BootInfoVirtualAddress - KernelBootLoader.KssegBase;
        Add(bootInfo, plan.FreeStart - bootInfo - 1); // boot info + command line end before free_start
        return pages.Select(p => new Ppn(p)).ToList();
    }

    private byte[] ReadGuest(IReadOnlyDictionary<Ppn, Mpn> mpnOf, uint physical, int length)
    {
        var bytes = new byte[length];
        int done = 0;
        while (done < length)
        {
            uint address = physical + (uint)done;
            int offset = (int)(address & MachinePage.OffsetMask);
            int count = Math.Min(length - done, MachinePage.Size - offset);
            MachineMemory.Slice(mpnOf[Ppn.Of(address)].Address + (ulong)offset, count).CopyTo(bytes.AsSpan(done));
            done += count;
        }

        return bytes;
    }
}
