using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Analysis;

/// <summary>
/// The trace as a table: one row per record, the columns every record has (node, sequence,
/// time, simulated cycle, VM, vCPU, physical CPU, kind, guest PC) and, for each kind, the
/// public properties of its typed event (<see cref="ITraceEvent{TSelf}"/>), by name in
/// snake_case (a <c>TrapEvent</c>'s <c>BadVAddr</c> is <c>bad_vaddr</c>; a name a record
/// already has, or <c>name</c>, is prefixed with the kind: <c>trap_name</c>). Properties of
/// the same name and type share a column. A new kind's fields become columns with no change
/// here. Cells a record's kind does not have are null.
/// </summary>
public static class TraceColumns
{
    private static readonly Dictionary<string, string> Spelled = new(StringComparer.Ordinal)
    {
        ["BadVAddr"] = "bad_vaddr",
        ["EBase"] = "ebase",
    };

    private static readonly TraceColumn[] Common =
    [
        new("node", TraceColumnType.Text, "the node whose file the record came from (\"local\" for a single-node run)"),
        new("sequence", TraceColumnType.Integer, "the record's order in its node's file, from 1"),
        new("time_ns", TraceColumnType.Integer, "wall-clock nanoseconds since the first recorder of the run started"),
        new("exact_time", TraceColumnType.Boolean, "time_ns was read from the clock (false: interpolated between exact times on the same thread)"),
        new("cycle", TraceColumnType.Integer, "simulated cycle on the physical CPU's clock (null where the maker does not know it: memory manager, VM lifecycle)"),
        new("vm", TraceColumnType.Integer, "VM id (1-based, scenario order; 0 for the monitor itself)"),
        new("vm_name", TraceColumnType.Text, "the VM's name in the scenario"),
        new("vcpu", TraceColumnType.Integer, "the VM's vCPU"),
        new("pcpu", TraceColumnType.Integer, "the physical CPU"),
        new("kind", TraceColumnType.Text, "what the record stands for (TraceKind: Trap, Emulate, Reflect, Dispatch, ...)"),
        new("guest_pc", TraceColumnType.Integer, "the guest's program counter"),
    ];

    private static readonly Lazy<Schema> Built = new(Build);

    /// <summary>Every column: the common ones, then the events' in kind order.</summary>
    public static IReadOnlyList<TraceColumn> All => Built.Value.Columns;

    public static int IndexOf(string name) => Built.Value.Index[name];

    /// <summary>Fill row <paramref name="row"/> of <paramref name="rows"/> from a record of <paramref name="trace"/>.</summary>
    public static void Fill(TraceRows rows, int row, TraceSet trace, in NodeRecord nr, long originNanoseconds)
    {
        var r = nr.Record;
        rows.Texts[0][row] = trace.Nodes[nr.Node];
        rows.Integers[1][row] = r.Sequence;
        rows.Integers[2][row] = r.Nanoseconds - originNanoseconds;
        rows.Booleans[3][row] = !r.Interpolated;
        rows.Integers[4][row] = r.Cycle == TraceRecord.NoCycle ? null : r.Cycle;
        rows.Integers[5][row] = r.Vm;
        rows.Texts[6][row] = r.Vm == 0 ? null : trace.NameOf(nr.Node, r.Vm);
        rows.Integers[7][row] = r.Vcpu;
        rows.Integers[8][row] = r.Pcpu;
        rows.Texts[9][row] = KindName(r.Kind);
        rows.Integers[10][row] = r.GuestPc;
        if (Built.Value.Fillers.TryGetValue(r.Kind, out var fill))
        {
            fill(r, rows, row);
        }
    }

    public static string KindName(TraceKind kind) => Built.Value.KindNames.TryGetValue(kind, out var name) ? name : kind.ToString();

    /// <summary>A property name in snake_case: "InDelaySlot" is "in_delay_slot".</summary>
    public static string SnakeCase(string name)
    {
        if (Spelled.TryGetValue(name, out var spelled))
        {
            return spelled;
        }

        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool boundary = i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    private delegate void Filler(in TraceRecord record, TraceRows rows, int row);

    private sealed record Schema(IReadOnlyList<TraceColumn> Columns, IReadOnlyDictionary<string, int> Index,
        IReadOnlyDictionary<TraceKind, Filler> Fillers, IReadOnlyDictionary<TraceKind, string> KindNames);

    private static Schema Build()
    {
        var columns = Common.ToList();
        var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var fillers = new Dictionary<TraceKind, Filler>();
        var eventTypes = typeof(TraceEvents).Assembly.GetTypes()
            .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITraceEvent<>)))
            .Select(t => (Type: t, Kind: (TraceKind)t.GetProperty("Kind", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!))
            .OrderBy(e => e.Kind)
            .ToList();
        foreach (var (type, kind) in eventTypes)
        {
            var setters = new List<object>();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            {
                var columnType = TypeOf(property.PropertyType);
                if (columnType is null)
                {
                    continue;
                }

                string name = SnakeCase(property.Name);
                if (name == "name" || Common.Any(c => c.Name == name))
                {
                    name = $"{SnakeCase(kind.ToString())}_{name}";
                }

                if (index.TryGetValue(name, out int existing))
                {
                    if (columns[existing].Type != columnType)
                    {
                        throw new InvalidOperationException($"trace column {name}: {type.Name}.{property.Name} is {columnType}, another kind's is {columns[existing].Type}; rename one");
                    }

                    columns[existing] = columns[existing] with { Description = $"{columns[existing].Description}, {kind}.{property.Name}" };
                }
                else
                {
                    index[name] = existing = columns.Count;
                    columns.Add(new TraceColumn(name, columnType.Value, $"{kind}.{property.Name}"));
                }

                setters.Add(Setter(type, property, existing, columnType.Value));
            }

            var make = typeof(TraceColumns).GetMethod(nameof(MakeFiller), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
            fillers[kind] = (Filler)make.Invoke(null, [setters])!;
        }

        var kindNames = Enum.GetValues<TraceKind>().ToDictionary(k => k, k => k.ToString());
        return new Schema(columns, index, fillers, kindNames);
    }

    private static TraceColumnType? TypeOf(Type t) =>
        t == typeof(bool) ? TraceColumnType.Boolean
        : t.IsEnum || t == typeof(string) ? TraceColumnType.Text
        : t == typeof(byte) || t == typeof(sbyte) || t == typeof(short) || t == typeof(ushort) || t == typeof(int) || t == typeof(uint) || t == typeof(long) ? TraceColumnType.Integer
        : null;

    private static Filler MakeFiller<T>(List<object> setters)
        where T : struct, ITraceEvent<T>
    {
        var typed = setters.Cast<Action<T, TraceRows, int>>().ToArray();
        return (in TraceRecord r, TraceRows rows, int row) =>
        {
            var e = T.Decode(r);
            foreach (var set in typed)
            {
                set(e, rows, row);
            }
        };
    }

    /// <summary>A compiled <c>(event, rows, row) => rows.X[column][row] = event.Property</c>, enums by name.</summary>
    private static object Setter(Type eventType, PropertyInfo property, int column, TraceColumnType type)
    {
        var e = Expression.Parameter(eventType, "e");
        var rows = Expression.Parameter(typeof(TraceRows), "rows");
        var row = Expression.Parameter(typeof(int), "row");
        Expression value = Expression.Property(e, property);
        Expression cells;
        switch (type)
        {
            case TraceColumnType.Integer:
                value = Expression.Convert(Expression.Convert(value, typeof(long)), typeof(long?));
                cells = Expression.ArrayIndex(Expression.Property(rows, nameof(TraceRows.Integers)), Expression.Constant(column));
                break;
            case TraceColumnType.Boolean:
                value = Expression.Convert(value, typeof(bool?));
                cells = Expression.ArrayIndex(Expression.Property(rows, nameof(TraceRows.Booleans)), Expression.Constant(column));
                break;
            default:
                if (property.PropertyType.IsEnum)
                {
                    var names = Enum.GetValues(property.PropertyType).Cast<object>()
                        .GroupBy(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))
                        .ToDictionary(g => g.Key, g => g.First().ToString()!);
                    var lookup = typeof(TraceColumns).GetMethod(nameof(EnumName), BindingFlags.NonPublic | BindingFlags.Static)!;
                    value = Expression.Call(lookup, Expression.Constant(names), Expression.Convert(value, typeof(long)));
                }

                cells = Expression.ArrayIndex(Expression.Property(rows, nameof(TraceRows.Texts)), Expression.Constant(column));
                break;
        }

        var body = Expression.Assign(Expression.ArrayAccess(cells, row), value);
        var delegateType = typeof(Action<,,>).MakeGenericType(eventType, typeof(TraceRows), typeof(int));
        return Expression.Lambda(delegateType, body, e, rows, row).Compile();
    }

    private static string EnumName(Dictionary<long, string> names, long value) =>
        names.TryGetValue(value, out var name) ? name : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
