using System.Runtime.InteropServices;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// How a block of records is laid out before compression: field by field (every record's
/// sequence, then every record's time, ...), with the sequence, time and cycle as differences
/// from the previous record. A thread's records in a row differ little, so the columns are
/// long runs of small values: Brotli at its fastest level makes them 4 bytes a record instead
/// of 12 for the records as they are, in less time.
/// </summary>
public static class TraceBlockCodec
{
    public static void Encode(ReadOnlySpan<TraceRecord> records, Span<byte> output)
    {
        int n = records.Length;
        var w = new Writer(output, n);
        var sequence = w.Next<long>();
        var time = w.Next<long>();
        var cycle = w.Next<long>();
        var vm = w.Next<ushort>();
        var vcpu = w.Next<byte>();
        var pcpu = w.Next<byte>();
        var kind = w.Next<TraceKind>();
        var flags = w.Next<TraceRecordFlags>();
        var aux = w.Next<ushort>();
        var pc = w.Next<uint>();
        var d0 = w.Next<uint>();
        var d1 = w.Next<uint>();
        var d2 = w.Next<uint>();
        long s = 0, t = 0, c = 0;
        for (int i = 0; i < n; i++)
        {
            ref readonly var r = ref records[i];
            sequence[i] = r.Sequence - s;
            time[i] = r.Nanoseconds - t;
            cycle[i] = r.Cycle - c;
            s = r.Sequence;
            t = r.Nanoseconds;
            c = r.Cycle;
            vm[i] = r.Vm;
            vcpu[i] = r.Vcpu;
            pcpu[i] = r.Pcpu;
            kind[i] = r.Kind;
            flags[i] = r.Flags;
            aux[i] = r.Aux;
            pc[i] = r.GuestPc;
            d0[i] = r.D0;
            d1[i] = r.D1;
            d2[i] = r.D2;
        }
    }

    public static void Decode(ReadOnlySpan<byte> input, Span<TraceRecord> records)
    {
        int n = records.Length;
        var w = new Reader(input, n);
        var sequence = w.Next<long>();
        var time = w.Next<long>();
        var cycle = w.Next<long>();
        var vm = w.Next<ushort>();
        var vcpu = w.Next<byte>();
        var pcpu = w.Next<byte>();
        var kind = w.Next<TraceKind>();
        var flags = w.Next<TraceRecordFlags>();
        var aux = w.Next<ushort>();
        var pc = w.Next<uint>();
        var d0 = w.Next<uint>();
        var d1 = w.Next<uint>();
        var d2 = w.Next<uint>();
        long s = 0, t = 0, c = 0;
        for (int i = 0; i < n; i++)
        {
            ref var r = ref records[i];
            r.Sequence = s += sequence[i];
            r.Nanoseconds = t += time[i];
            r.Cycle = c += cycle[i];
            r.Vm = vm[i];
            r.Vcpu = vcpu[i];
            r.Pcpu = pcpu[i];
            r.Kind = kind[i];
            r.Flags = flags[i];
            r.Aux = aux[i];
            r.GuestPc = pc[i];
            r.D0 = d0[i];
            r.D1 = d1[i];
            r.D2 = d2[i];
        }
    }

    private ref struct Writer(Span<byte> output, int n)
    {
        private Span<byte> _rest = output;

        public Span<T> Next<T>()
            where T : unmanaged
        {
            int bytes = n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            var column = MemoryMarshal.Cast<byte, T>(_rest[..bytes]);
            _rest = _rest[bytes..];
            return column;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> input, int n)
    {
        private ReadOnlySpan<byte> _rest = input;

        public ReadOnlySpan<T> Next<T>()
            where T : unmanaged
        {
            int bytes = n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            var column = MemoryMarshal.Cast<byte, T>(_rest[..bytes]);
            _rest = _rest[bytes..];
            return column;
        }
    }
}
