using System.Runtime.InteropServices;

namespace ActorVmm.Memory;

/// <summary>
/// A block of simulated RAM in unmanaged memory: a board's physical memory, or a node's
/// machine memory under the monitor. Unmanaged so that the CPU core can hold raw page
/// pointers in its translation caches without pinning, and so that a large block is only
/// committed by the host OS as the guest touches it.
/// </summary>
public sealed unsafe class MemoryBlock : IDisposable
{
    private byte* _base;

    public MemoryBlock(ulong size)
    {
        if (size == 0 || (size & MachinePage.OffsetMask) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "memory size must be a non-zero multiple of 4 KB");
        }

        Size = size;
        // calloc, not malloc+clear: zeroing would commit every page up front.
        _base = (byte*)NativeMemory.AllocZeroed((nuint)size);
    }

    public ulong Size { get; }

    public ulong PageCount => Size >> MachinePage.Shift;

    /// <summary>Host address of physical byte 0. Valid until the block is disposed.</summary>
    public byte* Base => _base != null ? _base : throw new ObjectDisposedException(nameof(MemoryBlock));

    public bool Contains(ulong address, ulong length) => address <= Size && length <= Size - address;

    public Span<byte> Slice(ulong address, int length)
    {
        if (length < 0 || !Contains(address, (ulong)length))
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"[0x{address:X}, +0x{length:X}) lies outside the {Size >> 20} MB block");
        }

        return new Span<byte>(Base + address, length);
    }

    public void Write(ulong address, ReadOnlySpan<byte> data) => data.CopyTo(Slice(address, data.Length));

    public void Clear(ulong address, ulong length)
    {
        if (!Contains(address, length))
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"[0x{address:X}, +0x{length:X}) lies outside the block");
        }

        NativeMemory.Clear(Base + address, (nuint)length);
    }

    public uint ReadUInt32(ulong address) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(Slice(address, 4));

    public void WriteUInt32(ulong address, uint value) => System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(Slice(address, 4), value);

    public void Dispose()
    {
        if (_base != null)
        {
            NativeMemory.Free(_base);
            _base = null;
        }
    }
}
