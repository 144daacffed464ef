namespace ActorVmm.Analysis;

/// <summary>The three types a trace table's column can have: integers, booleans and text (enum values by name).</summary>
public enum TraceColumnType
{
    Integer,
    Boolean,
    Text,
}

/// <summary>A named, typed column of the trace's tables (Parquet, SQL).</summary>
public sealed record TraceColumn(string Name, TraceColumnType Type, string Description);
