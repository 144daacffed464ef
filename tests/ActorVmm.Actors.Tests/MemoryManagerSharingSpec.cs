using ActorVmm.Actors.Tests.Support;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;
using static ActorVmm.Actors.MemoryManagerProtocol;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// The MemoryManager actor with page sharing on: identical boot images share their pages
/// (answered as shared, so that vCPUs map them read-only); a copy-on-write request gives the
/// asker its own copy while the other VM keeps the original; paravirtual zero and free
/// requests; and the content scan between epochs, replied with the pages each VM must remap.
/// </summary>
public sealed class MemoryManagerSharingSpec : NodeSpec
{
    private const uint MachinePages = 512;
    private const uint VmBytes = 1u << 20;
    private readonly IActorRef _manager;
    private long _correlation;

    public MemoryManagerSharingSpec(ITestOutputHelper output)
        : base(MachinePages * MachinePage.Size, output)
    {
        var sharing = new PageSharingSettings(Images: true, Content: true, ScanRate: 64);
        _manager = Sys.ActorOf(Props.Create(() => new MemoryManager(sharing)), "memory");
    }

    [Fact]
    public void Identical_images_share_a_page_and_a_write_gets_the_writer_its_own_copy()
    {
        Register(1, expectedImagePages: 1);
        Register(2, expectedImagePages: 0); // the same bytes: nothing new allocated
        var first = Do(1, TinyKernel.CodePpn, PageOperation.Translate);
        var second = Do(2, TinyKernel.CodePpn, PageOperation.Translate);
        Assert.True(first.Shared && second.Shared);
        Assert.Equal(first.Mpn, second.Mpn);

        var copy = Do(2, TinyKernel.CodePpn, PageOperation.CopyOnWrite);

        Assert.True(copy.Copied);
        Assert.False(copy.Shared);
        Assert.NotEqual(first.Mpn, copy.Mpn);
        Assert.Equal(MachineMemory.Slice(first.Mpn.Address, 16).ToArray(), MachineMemory.Slice(copy.Mpn.Address, 16).ToArray());
        MachineMemory.WriteUInt32(copy.Mpn.Address, 0xDEADBEEF);
        Assert.Equal(0x11111111u, MachineMemory.ReadUInt32(Do(1, TinyKernel.CodePpn, PageOperation.Translate).Mpn.Address));
    }

    [Fact]
    public void Zero_maps_the_shared_zero_page_and_free_gives_the_page_back()
    {
        Register(1, expectedImagePages: 1);
        var page = new Ppn(0x90);
        var touched = Do(1, page, PageOperation.Translate);
        MachineMemory.WriteUInt32(touched.Mpn.Address, 7);

        var zero = Do(1, page, PageOperation.Zero);
        Assert.True(zero.Shared);
        Assert.Equal(0u, MachineMemory.ReadUInt32(zero.Mpn.Address));

        Assert.Equal(GuestPageKind.Unbacked, Do(1, page, PageOperation.Release).Kind);
        _manager.Tell(new GetUsage());
        var usage = ExpectMsg<MemoryUsage>();
        Assert.Equal(1u, usage.AllocatedPages); // the image page only
        Assert.Equal((1u, 1u), (usage.Vms[1].ZeroRequests, usage.Vms[1].Released));
    }

    [Fact]
    public void The_content_scan_merges_identical_private_pages_and_names_the_pages_to_remap()
    {
        Register(1, expectedImagePages: 1);
        Register(2, expectedImagePages: 0);
        var a = Do(1, new Ppn(0x90), PageOperation.Translate);
        var b = Do(2, new Ppn(0x91), PageOperation.Translate);
        MachineMemory.WriteUInt32(a.Mpn.Address, 0x5A5A5A5A);
        MachineMemory.WriteUInt32(b.Mpn.Address, 0x5A5A5A5A);

        _manager.Tell(new ScanForSharing(64, [1, 2]));
        var scanned = ExpectMsg<SharingScanned>();

        var remapped = scanned.Remaps.SelectMany(r => r.Mappings.Select(m => (r.Vm, m.Ppn.Value, m.Mpn, m.Shared))).ToList();
        Assert.Contains((1, 0x90u, a.Mpn, true), remapped); // the one seen first becomes shared...
        Assert.Contains((2, 0x91u, a.Mpn, true), remapped); // ...and the other joins it
        Assert.Equal(a.Mpn, Do(2, new Ppn(0x91), PageOperation.Translate).Mpn);
    }

    [Fact]
    public void A_vm_that_shares_pages_moves_them_as_content_and_the_vm_that_stays_keeps_them()
    {
        using var otherMemory = new MemoryBlock(2u << 20);
        var target = Sys.ActorOf(Props.Create(() => new MemoryManager(PageSharingSettings.Off, otherMemory)), "other-memory");
        Register(1, expectedImagePages: 1);
        Register(2, expectedImagePages: 0);
        var image = Do(1, TinyKernel.CodePpn, PageOperation.Translate);
        var zero = Do(2, new Ppn(0x90), PageOperation.Zero); // VM 2 also maps the shared zero page
        Assert.True(image.Shared && zero.Shared);
        uint before = Usage().AllocatedPages;

        _manager.Tell(new ExportVm(2, target));
        var exported = ExpectMsg<VmExported>(TimeSpan.FromSeconds(10));

        // Its two pages went as their bytes; here VM 2 stopped being an owner, and the image page,
        // which VM 1 still maps, was not freed (only the zero page, VM 2's alone, went back).
        Assert.Equal(2, exported.Pages);
        Assert.Equal(before - 1, Usage().AllocatedPages);
        var stays = Do(1, TinyKernel.CodePpn, PageOperation.Translate);
        Assert.Equal(image.Mpn, stays.Mpn);
        Assert.Equal(0x11111111u, MachineMemory.ReadUInt32(stays.Mpn.Address));
        var own = Do(1, TinyKernel.CodePpn, PageOperation.CopyOnWrite);
        Assert.Equal(image.Mpn, own.Mpn); // its last owner writes it in place
        Assert.Equal(before - 1, Usage().AllocatedPages);

        // There, the pages are VM 2's own, with the bytes it had.
        target.Tell(new TranslatePages(2, [TinyKernel.CodePpn, new Ppn(0x90)], 5), TestActor);
        var there = ExpectMsg<PagesTranslated>().Mappings;
        Assert.All(there, m => Assert.True(m.IsMemory && !m.Shared && !m.Fresh, $"{m}"));
        Assert.Equal(0x11111111u, otherMemory.ReadUInt32(there[0].Mpn.Address));
        Assert.Equal(0u, otherMemory.ReadUInt32(there[1].Mpn.Address));
    }

    private MemoryUsage Usage()
    {
        _manager.Tell(new GetUsage());
        return ExpectMsg<MemoryUsage>();
    }

    private void Register(int vm, int expectedImagePages)
    {
        var plan = TinyKernel.PlanWithWrites(VmBytes, [new PhysicalWrite(TinyKernel.CodePhysical, Enumerable.Repeat((byte)0x11, 16).ToArray())]);
        _manager.Tell(new RegisterVm(vm, VmBytes, plan));
        Assert.Equal(new VmRegistered(vm, expectedImagePages), ExpectMsg<VmRegistered>());
    }

    private GuestPageMapping Do(int vm, Ppn ppn, PageOperation operation)
    {
        long correlation = ++_correlation;
        _manager.Tell(new TranslatePages(vm, [ppn], correlation) { Operation = operation });
        return ExpectMsg<PagesTranslated>(t => t.Correlation == correlation).Mappings.Single();
    }
}
