namespace ActorVmm.Cpu;

/// <summary>
/// CP0 register numbers, encoded as <c>reg * 8 + sel</c> as they appear in MFC0/MTC0
/// (rd in bits 15:11, sel in bits 2:0).
/// </summary>
public static class Cp0Register
{
    public const int Index = 0 * 8;
    public const int Random = 1 * 8;
    public const int EntryLo0 = 2 * 8;
    public const int EntryLo1 = 3 * 8;
    public const int Context = 4 * 8;
    public const int PageMask = 5 * 8;
    public const int Wired = 6 * 8;
    public const int HWREna = 7 * 8;
    public const int BadVAddr = 8 * 8;
    public const int Count = 9 * 8;
    public const int EntryHi = 10 * 8;
    public const int Compare = 11 * 8;
    public const int Status = 12 * 8;
    public const int IntCtl = 12 * 8 + 1;
    public const int SRSCtl = 12 * 8 + 2;
    public const int Cause = 13 * 8;
    public const int EPC = 14 * 8;
    public const int PRId = 15 * 8;
    public const int EBase = 15 * 8 + 1;
    public const int Config = 16 * 8;
    public const int Config1 = 16 * 8 + 1;
    public const int Config2 = 16 * 8 + 2;
    public const int Config3 = 16 * 8 + 3;
    public const int LLAddr = 17 * 8;
    public const int ErrorEPC = 30 * 8;

    public static int Encode(int reg, int sel) => (reg << 3) | (sel & 7);

    public static string Name(int encoded) => encoded switch
    {
        Index => "Index",
        Random => "Random",
        EntryLo0 => "EntryLo0",
        EntryLo1 => "EntryLo1",
        Context => "Context",
        PageMask => "PageMask",
        Wired => "Wired",
        HWREna => "HWREna",
        BadVAddr => "BadVAddr",
        Count => "Count",
        EntryHi => "EntryHi",
        Compare => "Compare",
        Status => "Status",
        IntCtl => "IntCtl",
        SRSCtl => "SRSCtl",
        Cause => "Cause",
        EPC => "EPC",
        PRId => "PRId",
        EBase => "EBase",
        Config => "Config",
        Config1 => "Config1",
        Config2 => "Config2",
        Config3 => "Config3",
        LLAddr => "LLAddr",
        ErrorEPC => "ErrorEPC",
        _ => $"CP0[{encoded >> 3},{encoded & 7}]",
    };
}
