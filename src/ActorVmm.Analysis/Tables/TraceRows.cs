namespace ActorVmm.Analysis;

/// <summary>
/// A block of table rows, column by column: integers and booleans as nullable values, text
/// as strings (null where a record's kind has no such field). Filled by <see cref="TraceColumns"/>.
/// </summary>
public sealed class TraceRows
{
    public TraceRows(IReadOnlyList<TraceColumn> columns, int capacity)
    {
        Columns = columns;
        Capacity = capacity;
        Integers = new long?[columns.Count][];
        Booleans = new bool?[columns.Count][];
        Texts = new string?[columns.Count][];
        for (int c = 0; c < columns.Count; c++)
        {
            switch (columns[c].Type)
            {
                case TraceColumnType.Integer:
                    Integers[c] = new long?[capacity];
                    break;
                case TraceColumnType.Boolean:
                    Booleans[c] = new bool?[capacity];
                    break;
                default:
                    Texts[c] = new string?[capacity];
                    break;
            }
        }
    }

    public IReadOnlyList<TraceColumn> Columns { get; }

    public int Capacity { get; }

    public int Count { get; set; }

    public long?[][] Integers { get; }

    public bool?[][] Booleans { get; }

    public string?[][] Texts { get; }

    /// <summary>Empty the block for reuse: every cell back to null.</summary>
    public void Clear()
    {
        for (int c = 0; c < Columns.Count; c++)
        {
            Integers[c]?.AsSpan(0, Count).Clear();
            Booleans[c]?.AsSpan(0, Count).Clear();
            Texts[c]?.AsSpan(0, Count).Clear();
        }

        Count = 0;
    }

    public object? Cell(int column, int row) => Columns[column].Type switch
    {
        TraceColumnType.Integer => Integers[column][row],
        TraceColumnType.Boolean => Booleans[column][row],
        _ => Texts[column][row],
    };
}
