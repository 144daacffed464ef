using Parquet;
using Parquet.Schema;

namespace ActorVmm.Analysis;

/// <summary>Writes blocks of <see cref="TraceRows"/> as a Parquet file, one row group per block, and reads one back.</summary>
public static class ParquetTables
{
    /// <summary>Write the rows; returns how many were written.</summary>
    public static async Task<long> WriteAsync(string path, IReadOnlyList<TraceColumn> columns, IEnumerable<TraceRows> blocks)
    {
        var fields = columns.Select(Field).ToArray();
        var schema = new ParquetSchema(fields);
        long written = 0;
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        foreach (var rows in blocks)
        {
            using var group = writer.CreateRowGroup();
            for (int c = 0; c < columns.Count; c++)
            {
                switch (columns[c].Type)
                {
                    case TraceColumnType.Integer:
                        await group.WriteAsync<long>(fields[c], new ReadOnlyMemory<long?>(rows.Integers[c], 0, rows.Count));
                        break;
                    case TraceColumnType.Boolean:
                        await group.WriteAsync<bool>(fields[c], new ReadOnlyMemory<bool?>(rows.Booleans[c], 0, rows.Count));
                        break;
                    default:
                        await group.WriteAsync(fields[c], new ArraySegment<string>(rows.Texts[c]!, 0, rows.Count));
                        break;
                }
            }

            written += rows.Count;
        }

        if (written == 0)
        {
            // A file with no row group is still a table with its columns.
            using var group = writer.CreateRowGroup();
            for (int c = 0; c < columns.Count; c++)
            {
                switch (columns[c].Type)
                {
                    case TraceColumnType.Integer:
                        await group.WriteAsync<long>(fields[c], ReadOnlyMemory<long?>.Empty);
                        break;
                    case TraceColumnType.Boolean:
                        await group.WriteAsync<bool>(fields[c], ReadOnlyMemory<bool?>.Empty);
                        break;
                    default:
                        await group.WriteAsync(fields[c], Array.Empty<string>());
                        break;
                }
            }
        }

        return written;
    }

    /// <summary>Every row of a file written by <see cref="WriteAsync"/>, as column name to value.</summary>
    public static async Task<List<Dictionary<string, object?>>> ReadAsync(string path)
    {
        var result = new List<Dictionary<string, object?>>();
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int count = (int)group.RowCount;
            var columns = new List<object?[]>();
            foreach (var field in fields)
            {
                var values = new object?[count];
                if (field.ClrType == typeof(long))
                {
                    var buffer = new long?[count];
                    await group.ReadAsync<long>(field, buffer);
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = buffer[i];
                    }
                }
                else if (field.ClrType == typeof(bool))
                {
                    var buffer = new bool?[count];
                    await group.ReadAsync<bool>(field, buffer);
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = buffer[i];
                    }
                }
                else
                {
                    var buffer = new string[count];
                    await group.ReadAsync(field, buffer);
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = buffer[i];
                    }
                }

                columns.Add(values);
            }

            for (int i = 0; i < count; i++)
            {
                var row = new Dictionary<string, object?>(fields.Length, StringComparer.Ordinal);
                for (int f = 0; f < fields.Length; f++)
                {
                    row[fields[f].Name] = columns[f][i];
                }

                result.Add(row);
            }
        }

        return result;
    }

    private static DataField Field(TraceColumn column) => column.Type switch
    {
        TraceColumnType.Integer => new DataField(column.Name, typeof(long), isNullable: true),
        TraceColumnType.Boolean => new DataField(column.Name, typeof(bool), isNullable: true),
        _ => new DataField(column.Name, typeof(string), isNullable: true),
    };
}
