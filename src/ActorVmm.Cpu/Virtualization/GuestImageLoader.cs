using ActorVmm.Cpu.Board;
using ActorVmm.Memory;

namespace ActorVmm.Cpu.Virtualization;

/// <summary>
/// Places a boot plan's bytes in a VM's memory through its pmap, as the board's loader places
/// them in RAM. Only pages with bytes are allocated; bss pages come zeroed on first use.
/// </summary>
public static class GuestImageLoader
{
    public static int Load(BootPlan plan, MachineMemoryManager memory, int vmId)
    {
        int pages = 0;
        foreach (var write in plan.Writes)
        {
            var bytes = write.Bytes.Span;
            uint address = write.Address;
            while (!bytes.IsEmpty)
            {
                var mapping = memory.Translate(vmId, Ppn.Of(address));
                if (!mapping.IsMemory)
                {
                    throw new MachineConfigurationException($"VM {vmId}: cannot place the kernel at physical 0x{address:X8}: {mapping.Kind}");
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
