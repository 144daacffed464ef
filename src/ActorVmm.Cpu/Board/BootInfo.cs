using System.Buffers.Binary;
using System.Text;

namespace ActorVmm.Cpu.Board;

/// <summary>The boot-info block the loader hands the kernel in a1 (layout in docs/MACHINE.md).</summary>
public sealed record BootInfo(uint MemorySize, uint CpuCount, uint FreeStart, uint CommandLineAddress)
{
    public const uint Magic = 0x424D5641; // "AVMB"
    public const uint Version = 1;
    public const int Size = 32;
    public const uint KsegBase = 0xC0000000;

    public byte[] Encode(string commandLine)
    {
        byte[] text = Encoding.ASCII.GetBytes(commandLine);
        var bytes = new byte[Size + text.Length + 1];
        var words = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(words[0..], Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(words[4..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(words[8..], MemorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(words[12..], CpuCount);
        BinaryPrimitives.WriteUInt32LittleEndian(words[16..], FreeStart);
        BinaryPrimitives.WriteUInt32LittleEndian(words[20..], CommandLineAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(words[24..], KsegBase);
        BinaryPrimitives.WriteUInt32LittleEndian(words[28..], DeviceMap.VirtualBase);
        text.CopyTo(bytes, Size);
        return bytes;
    }
}
