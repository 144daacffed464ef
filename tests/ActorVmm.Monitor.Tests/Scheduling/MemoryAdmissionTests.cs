using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>Admission by machine memory: reservations of whole guest memories, a queue in VM order, decisions at epoch boundaries.</summary>

public sealed class MemoryAdmissionTests
{
    [Fact]
    public void VMs_start_while_their_memory_fits_and_the_rest_wait_in_vm_order()
    {
        var admission = new MemoryAdmission([1024]);

        Assert.True(admission.Request(1, 0, 512));
        Assert.True(admission.Request(2, 0, 512));
        Assert.False(admission.Request(3, 0, 256));
        Assert.False(admission.Request(4, 0, 256));

        Assert.Equal(2, admission.Waiting);
        Assert.Equal(1024UL, admission.ReservedPages(0));
        Assert.Empty(admission.AdmitWaiting());
    }

    [Fact]
    public void A_vm_that_fits_does_not_jump_the_queue_at_request_time()
    {
        var admission = new MemoryAdmission([1024]);
        admission.Request(1, 0, 900);

        Assert.False(admission.Request(2, 0, 512));
        Assert.False(admission.Request(3, 0, 64)); // it would fit, but vm2 waits already

        Assert.Equal([(3, 0)], admission.AdmitWaiting()); // at the boundary, whatever fits goes, in VM order
    }

    [Fact]
    public void Released_memory_admits_the_waiting_vms_that_fit_in_vm_order()
    {
        var admission = new MemoryAdmission([1024]);
        admission.Request(1, 0, 512);
        admission.Request(2, 0, 512);
        admission.Request(3, 0, 768);
        admission.Request(4, 0, 256);
        admission.Request(5, 0, 256);

        Assert.True(admission.Release(1));
        Assert.False(admission.Release(1));

        Assert.Equal([(4, 0), (5, 0)], admission.AdmitWaiting());
        Assert.Equal(1, admission.Waiting);
        admission.Release(2);
        admission.Release(4);
        admission.Release(5);
        Assert.Equal([(3, 0)], admission.AdmitWaiting());
        Assert.Equal(0, admission.Waiting);
        Assert.Equal(3, admission.EverWaited);
    }

    [Fact]
    public void A_vm_larger_than_its_node_runs_alone_there()
    {
        var admission = new MemoryAdmission([256]);

        Assert.True(admission.Request(1, 0, 1024));
        Assert.False(admission.Request(2, 0, 16));
        admission.Release(1);

        Assert.Equal([(2, 0)], admission.AdmitWaiting());
    }

    [Fact]
    public void Each_node_admits_by_its_own_memory_and_a_moved_vm_takes_its_reservation_along()
    {
        var admission = new MemoryAdmission([1024, 1024]);
        admission.Request(1, 0, 1024);
        Assert.True(admission.Request(2, 1, 512));
        Assert.False(admission.Request(3, 0, 512));

        Assert.False(admission.Fits(1, 768));
        admission.Move(2, 0);
        Assert.Equal(1536UL, admission.ReservedPages(0));
        Assert.Equal(0UL, admission.ReservedPages(1));

        admission.Release(1);
        Assert.Equal([(3, 0)], admission.AdmitWaiting()); // vm2's 512 pages and vm3's fill node0
        Assert.Equal(1024UL, admission.ReservedPages(0));
    }
}
