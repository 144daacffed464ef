using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Cpu.Tests.Elf;

/// <summary>
/// Damaged files must be refused with ElfFormatException and nothing else: an
/// IndexOutOfRange or Overflow from the parser would be a crash in front of the user, and a
/// sign that some check reads before it validates.
/// </summary>
public sealed class ElfRobustnessTests
{
    private static byte[] Sample() => ElfBuilder.TwoSegments()
        .WithSymbol("_start", 0x00400000, 0, ElfSymbolType.NoType)
        .WithSymbol("main", 0x00400010, 0x40, ElfSymbolType.Function)
        .WithSymbol("buffer", 0x00401010, 0x10, ElfSymbolType.Object)
        .Build();

    /// <summary>Parse, and if that succeeds, use everything the image offers, including loading it.</summary>
    private static void ParseAndUse(byte[] file, MemoryBlock memory, string what)
    {
        try
        {
            var image = ElfImage.Parse(file, "fuzz.elf");
            foreach (var segment in image.Segments)
            {
                _ = image.SymbolAt(segment.VirtualAddress);
                _ = image.SymbolAt(unchecked(segment.VirtualAddress + segment.MemorySize - 1));
            }

            _ = image.SymbolAt(image.Entry);
            TryLoad(image, memory, ElfAddressing.Virtual);
            TryLoad(image, memory, ElfAddressing.Physical);
        }
        catch (ElfFormatException error)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Problem), what);
            Assert.DoesNotContain('\n', error.Message);
        }
        catch (Exception other)
        {
            Assert.Fail($"{what}: {other.GetType().Name} instead of ElfFormatException: {other.Message}");
        }
    }

    private static void TryLoad(ElfImage image, MemoryBlock memory, ElfAddressing addressing)
    {
        try
        {
            ElfLoader.Load(image, memory, addressing);
        }
        catch (ElfFormatException)
        {
            // Refusing to place a segment is a fine outcome; only other exceptions are bugs.
        }
    }

    [Fact]
    public void Every_truncation_parses_or_is_refused_cleanly()
    {
        var file = Sample();
        using var memory = new MemoryBlock(8UL << 20);

        for (int length = 0; length <= file.Length; length++)
        {
            ParseAndUse(file[..length], memory, $"truncated to {length} bytes");
        }
    }

    [Fact]
    public void Every_single_byte_corruption_parses_or_is_refused_cleanly()
    {
        var file = Sample();
        using var memory = new MemoryBlock(8UL << 20);
        byte[] values = [0x00, 0x01, 0x7F, 0x80, 0xFF];

        for (int offset = 0; offset < file.Length; offset++)
        {
            foreach (byte value in values)
            {
                var copy = (byte[])file.Clone();
                copy[offset] = value;
                ParseAndUse(copy, memory, $"byte {offset} set to 0x{value:X2}");
                copy[offset] = (byte)(file[offset] ^ value);
                ParseAndUse(copy, memory, $"byte {offset} xor 0x{value:X2}");
            }
        }
    }

    [Fact]
    public void Random_multi_byte_corruptions_parse_or_are_refused_cleanly()
    {
        var file = Sample();
        var random = new Random(20240601);
        using var memory = new MemoryBlock(8UL << 20);

        for (int round = 0; round < 20000; round++)
        {
            var copy = (byte[])file.Clone();
            int changes = 1 + random.Next(6);
            for (int i = 0; i < changes; i++)
            {
                // Mostly the ELF and program headers, where the interesting fields are.
                int offset = random.Next(4) == 0 ? random.Next(copy.Length) : random.Next(52 + 64);
                copy[offset] = (byte)random.Next(256);
            }

            int length = random.Next(8) == 0 ? random.Next(copy.Length + 1) : copy.Length;
            ParseAndUse(copy[..length], memory, $"round {round}");
        }
    }

    [Fact]
    public void Extreme_field_values_parse_or_are_refused_cleanly()
    {
        using var memory = new MemoryBlock(8UL << 20);
        uint[] extremes = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFF];
        var file = Sample();
        int shoff = (int)BitConverter.ToUInt32(file, 32);
        // e_entry, e_phoff, e_shoff, every field of both program headers and of the section headers.
        int[] fields =
        [
            24, 28, 32,
            .. Enumerable.Range(0, 16).Select(i => 52 + i * 4),
            .. Enumerable.Range(0, 40).Select(i => shoff + i * 4),
        ];

        foreach (int field in fields)
        {
            foreach (uint value in extremes)
            {
                var copy = (byte[])file.Clone();
                ElfBuilder.U32(copy, field, value);
                ParseAndUse(copy, memory, $"field at {field} = 0x{value:X8}");
            }
        }
    }
}
