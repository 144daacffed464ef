using System.Buffers;

namespace ActorVmm.Memory;

/// <summary>
/// Places a guest image's bytes in a VM's memory through its pmap, as a board's loader places
/// them in RAM. Only pages with bytes are allocated; bss pages come zeroed on first use. Each
/// page is placed whole (<see cref="MachineMemoryManager.PlaceImagePage"/>), so that with image
/// sharing a page identical to one of another VM's images is shared instead of copied.
/// </summary>
public static class GuestImagePlacement
{
    /// <summary>Returns the machine pages allocated for the image.</summary>
    public static int Place(IEnumerable<PhysicalWrite> writes, MachineMemoryManager memory, int vmId)
    {
        // Gather each page's final bytes first: segments and the boot information may share a page.
        var pages = new SortedDictionary<uint, byte[]>();
        try
        {
            foreach (var write in writes)
            {
                var bytes = write.Bytes.Span;
                uint address = write.Address;
                while (!bytes.IsEmpty)
                {
                    uint ppn = address >> MachinePage.Shift;
                    if (!pages.TryGetValue(ppn, out var page))
                    {
                        page = ArrayPool<byte>.Shared.Rent(MachinePage.Size);
                        Array.Clear(page, 0, MachinePage.Size);
                        pages[ppn] = page;
                    }

                    int offset = (int)(address & MachinePage.OffsetMask);
                    int count = Math.Min(bytes.Length, MachinePage.Size - offset);
                    bytes[..count].CopyTo(page.AsSpan(offset, count));
                    bytes = bytes[count..];
                    address += (uint)count;
                }
            }

            int allocated = 0;
            foreach (var (ppn, page) in pages)
            {
                var mapping = memory.PlaceImagePage(vmId, new Ppn(ppn), page.AsSpan(0, MachinePage.Size));
                if (!mapping.IsMemory)
                {
                    throw new ImagePlacementException($"VM {vmId}: cannot place the kernel at physical 0x{ppn << MachinePage.Shift:X8}: {mapping.Kind}");
                }

                allocated += mapping.Fresh ? 1 : 0;
            }

            return allocated;
        }
        finally
        {
            foreach (var page in pages.Values)
            {
                ArrayPool<byte>.Shared.Return(page);
            }
        }
    }
}
