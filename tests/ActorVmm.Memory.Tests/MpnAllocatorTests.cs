using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Memory.Tests;

public sealed class MpnAllocatorTests
{
    [Fact]
    public void Allocates_every_page_once_lowest_first_then_reports_exhaustion()
    {
        var allocator = new MpnAllocator(130);
        for (uint i = 0; i < 130; i++)
        {
            Assert.True(allocator.TryAllocate(out var mpn));
            Assert.Equal(i, mpn.Value);
        }

        Assert.False(allocator.TryAllocate(out _));
        Assert.Equal(0u, allocator.Free);
    }

    [Fact]
    public void A_released_page_is_reused_before_higher_ones()
    {
        var allocator = new MpnAllocator(8);
        for (int i = 0; i < 5; i++)
        {
            allocator.TryAllocate(out _);
        }

        allocator.Release(new Mpn(1));
        Assert.True(allocator.TryAllocate(out var mpn));
        Assert.Equal(1u, mpn.Value);
        Assert.True(allocator.TryAllocate(out mpn));
        Assert.Equal(5u, mpn.Value);
    }

    [Fact]
    public void Releasing_a_free_page_is_a_simulator_bug_and_throws()
    {
        var allocator = new MpnAllocator(4);
        Assert.Throws<InvalidOperationException>(() => allocator.Release(new Mpn(2)));
    }
}
