using System.Globalization;
using System.Text;

namespace ActorVmm.Host.Fuzz;

/// <summary>
/// Renders fuzz cases as one self-contained assembler program (its own _start, no libc)
/// and parses what it prints. Each case sets every register, HI, LO and the scratch buffer
/// from its seed, runs its items, saves all registers on the stack and calls a small dump
/// routine that writes one line with write(2):
/// <code>case XXXXXXXX at v0 ... ra hi lo mem</code> (31 hex words; mem is a checksum of the
/// scratch buffer). The program then exits 0.
/// </summary>
public static class FuzzProgram
{
    private const string Prefix = "case ";

    public static string Render(IEnumerable<FuzzCase> cases, ulong seed)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# ActorVmm random-instruction fuzz program, seed {seed}. Generated: do not edit.");
        s.AppendLine("    .set    noreorder");
        s.AppendLine("    .set    noat");
        s.AppendLine("    .text");
        s.AppendLine("    .globl  _start");
        s.AppendLine("_start:");
        s.AppendLine(CultureInfo.InvariantCulture, $"    addiu   $sp, $sp, -{(FuzzRegisters.SavedWords * 4 + 15) & ~7}");
        foreach (var c in cases)
        {
            RenderCase(s, c);
        }

        s.AppendLine("    move    $a0, $zero");
        s.AppendLine("    li      $v0, 4001                # exit(0)");
        s.AppendLine("    syscall");
        s.AppendLine("    break");
        s.Append(DumpRoutine);
        return s.ToString();
    }

    /// <summary>The case as assembler lines (initialisation, items, HI/LO fix-ups), for reports.</summary>
    public static string RenderCase(FuzzCase c)
    {
        var s = new StringBuilder();
        RenderCase(s, c, withDump: false);
        return s.ToString();
    }

    private static void RenderCase(StringBuilder s, FuzzCase c, bool withDump = true)
    {
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"# ---- case {c.Index}");
        s.AppendLine(inv, $"fuzz_case_{c.Index}:");
        s.AppendLine("    la      $v0, fuzz_scratch");
        for (int i = 0; i < c.Scratch.Count; i++)
        {
            s.AppendLine(inv, $"    li      $v1, 0x{c.Scratch[i]:x8}");
            s.AppendLine(inv, $"    sw      $v1, {i * 4}($v0)");
        }

        s.AppendLine(inv, $"    li      $v1, 0x{c.Hi:x8}");
        s.AppendLine("    mthi    $v1");
        s.AppendLine(inv, $"    li      $v1, 0x{c.Lo:x8}");
        s.AppendLine("    mtlo    $v1");
        for (int i = 0; i < FuzzRegisters.Usable.Count; i++)
        {
            s.AppendLine(inv, $"    li      {FuzzRegisters.Name(FuzzRegisters.Usable[i])}, 0x{c.Registers[i]:x8}");
        }

        s.AppendLine("# body");
        var targets = c.Items.Select(i => i.Target).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var item in c.Items)
        {
            if (item.Label is { } label)
            {
                if (targets.Contains(label))
                {
                    s.AppendLine(inv, $"{label}:");
                }

                continue;
            }

            foreach (string line in item.Lines)
            {
                s.AppendLine(inv, $"    {line}");
            }
        }

        HiLoFlow.Check(c.Items, out bool hiDefined, out bool loDefined);
        if (!hiDefined)
        {
            s.AppendLine("    mthi    $zero                    # HI is UNPREDICTABLE after MUL");
        }

        if (!loDefined)
        {
            s.AppendLine("    mtlo    $zero                    # LO is UNPREDICTABLE after MUL");
        }

        if (!withDump)
        {
            return;
        }

        s.AppendLine("# dump");
        for (int i = 0; i < FuzzRegisters.Usable.Count; i++)
        {
            s.AppendLine(inv, $"    sw      {FuzzRegisters.Name(FuzzRegisters.Usable[i])}, {i * 4}($sp)");
        }

        int hiSlot = FuzzRegisters.Usable.Count * 4;
        s.AppendLine("    mfhi    $v0");
        s.AppendLine(inv, $"    sw      $v0, {hiSlot}($sp)");
        s.AppendLine("    mflo    $v0");
        s.AppendLine(inv, $"    sw      $v0, {hiSlot + 4}($sp)");
        s.AppendLine(inv, $"    li      $a0, {c.Index}");
        s.AppendLine("    jal     fuzz_dump");
        s.AppendLine("    nop");
    }

    // The dump routine: uses only simple ALU instructions, loads, stores and BNE, so that a
    // broken instruction shows up in a case's values rather than in the printing.
    private static readonly string DumpRoutine = $$"""

        # fuzz_dump(a0 = case index): the saved words at 0($sp), then the scratch checksum.
        fuzz_dump:
            move    $s0, $ra
            la      $t0, fuzz_line
            li      $t1, 0x65736163            # "case"
            sw      $t1, 0($t0)
            addiu   $t0, $t0, 4
            jal     fuzz_space_hex8
            move    $a1, $a0
            move    $s1, $zero
            li      $s2, {{FuzzRegisters.SavedWords * 4}}
        1:  addu    $t1, $sp, $s1
            jal     fuzz_space_hex8
            lw      $a1, 0($t1)
            addiu   $s1, $s1, 4
            bne     $s1, $s2, 1b
            nop
            la      $t1, fuzz_scratch
            addiu   $t2, $t1, {{FuzzGenerator.ScratchBytes}}
            move    $a1, $zero
        2:  lw      $t3, 0($t1)                # h = rotl(h, 5) ^ word
            sll     $t4, $a1, 5
            srl     $a1, $a1, 27
            or      $a1, $a1, $t4
            xor     $a1, $a1, $t3
            addiu   $t1, $t1, 4
            bne     $t1, $t2, 2b
            nop
            jal     fuzz_space_hex8
            nop
            li      $t1, 10
            sb      $t1, 0($t0)
            addiu   $t0, $t0, 1
            li      $a0, 1
            la      $a1, fuzz_line
            subu    $a2, $t0, $a1
            li      $v0, 4004                  # write(1, line, length)
            syscall
            jr      $s0
            nop

        # fuzz_space_hex8: ' ' and a1 as 8 hex digits at t0, advancing t0.
        fuzz_space_hex8:
            li      $t9, 32
            sb      $t9, 0($t0)
            addiu   $t0, $t0, 1
            li      $t2, 8
        3:  srl     $t3, $a1, 28
            sltiu   $t4, $t3, 10
            addiu   $t4, $t4, -1
            andi    $t4, $t4, 39
            addu    $t3, $t3, $t4
            addiu   $t3, $t3, 48
            sb      $t3, 0($t0)
            sll     $a1, $a1, 4
            addiu   $t2, $t2, -1
            bne     $t2, $zero, 3b
            addiu   $t0, $t0, 1
            jr      $ra
            nop

            .data
            .align  4
        fuzz_scratch:
            .space  {{FuzzGenerator.ScratchBytes}}
        fuzz_line:
            .space  512

        """;

    /// <summary>The values each case printed, by case index. Lines that do not parse are ignored
    /// (the byte comparison has already failed by then).</summary>
    public static Dictionary<long, uint[]> Parse(byte[] stdout)
    {
        var result = new Dictionary<long, uint[]>();
        foreach (string line in Encoding.ASCII.GetString(stdout).Split('\n'))
        {
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string[] words = line[Prefix.Length..].Split(' ');
            if (words.Length != 1 + FuzzRegisters.DumpNames.Count)
            {
                continue;
            }

            var values = new uint[words.Length];
            bool ok = true;
            for (int i = 0; i < words.Length && ok; i++)
            {
                ok = words[i].Length == 8 && uint.TryParse(words[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out values[i]);
            }

            if (ok)
            {
                result.TryAdd(values[0], values[1..]);
            }
        }

        return result;
    }
}
