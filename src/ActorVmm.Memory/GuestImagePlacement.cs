namespace ActorVmm.Memory;

/// <summary>
/// Places a guest image's bytes in a VM's memory through its pmap, as a board's loader places
/// them in RAM. Only pages with bytes are allocated; bss pages come zeroed on first use.
/// </summary>
public static class GuestImagePlacement
{
    /// <summary>Returns the machine pages allocated for the image.</summary>
    public static int Place(IEnumerable<PhysicalWrite> writes, MachineMemoryManager memory, int vmId)
    {
        int pages = 0;
        foreach (var write in writes)
        {
            var bytes = write.Bytes.Span;
            uint address = write.Address;
            while (!bytes.IsEmpty)
            {
                var mapping = memory.Translate(vmId, Ppn.Of(address));
                if (!mapping.IsMemory)
                {
                    throw new ImagePlacementException($"VM {vmId}: cannot place the kernel at physical 0x{address:X8}: {mapping.Kind}");
                }

                pages += mapping.Fresh ? 1 : 0;
                int offset = (int)(address & MachinePage.OffsetMask);
                int count = Math.Min(bytes.Length, MachinePage.Size - offset);
                memory.MachineMemory.Write(mapping.Mpn.Address + (ulong)offset, bytes[..count]);
                bytes = bytes[count..];
                address += (uint)count;
            }
        }

        return pages;
    }
}
