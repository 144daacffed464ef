using System.Text;

namespace ActorVmm.Cpu;

/// <summary>A register listing for crash reports, in the conventional o32 names.</summary>
public static class RegisterDump
{
    private static readonly string[] Names =
    [
        "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
        "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
        "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
        "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
    ];

    public static string Name(int register) => Names[register & 31];

    public static string Format(Mips32Core core)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 32; i++)
        {
            sb.Append($"{Names[i],4}={core.GetGpr(i):x8}").Append(i % 8 == 7 ? '\n' : ' ');
        }

        sb.Append($"  pc={core.Pc:x8}   hi={core.Hi:x8}   lo={core.Lo:x8}\n");
        return sb.ToString();
    }
}
