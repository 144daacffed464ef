using System.Globalization;

namespace ActorVmm.Host.Fuzz;

/// <summary>
/// Generates random MIPS32r2 integer code as GNU assembler text: pure, a function of
/// (seed, case index) only. Every case is deterministic on any correct MIPS32r2: no
/// instruction can trap (ADD/ADDI/SUB only on halved operands; loads and stores aligned
/// into the scratch buffer; trap instructions only with conditions that are false), and
/// nothing UNPREDICTABLE reaches the output (HI/LO after MUL, see <see cref="HiLoFlow"/>;
/// link branches never read ra; EXT/INS fields inside the word). Division by zero and
/// INT_MIN / -1 are included: their result is UNPREDICTABLE in the architecture, but
/// ActorVmm documents LO = dividend, HI = 0, which is also what qemu-mipsel gives.
/// </summary>
public static class FuzzGenerator
{
    /// <summary>Bytes in the scratch buffer that loads and stores use.</summary>
    public const int ScratchBytes = 64;

    public const int MinItems = 32;
    public const int MaxItems = 64;

    private static readonly uint[] Interesting =
    [
        0, 1, 2, 3, 0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0x80000001,
        0x7FFF, 0x8000, 0xFFFF, 0x10000, 0xFFFF8000, 0xFFFF7FFF, 0xFF, 0x80, 0x7F,
        31, 32, 33, 0x55555555, 0xAAAAAAAA, 0x0F0F0F0F, 0x12345678, 0xDEADBEEF,
    ];

    private static readonly string[] Alu3 = ["addu", "subu", "and", "or", "xor", "nor", "slt", "sltu", "sllv", "srlv", "srav", "rotrv", "movn", "movz"];
    private static readonly string[] ShiftImm = ["sll", "srl", "sra", "rotr"];
    private static readonly string[] Unary = ["clz", "clo", "seb", "seh", "wsbh"];
    private static readonly string[] MulDiv = ["mult", "multu", "div", "divu"];
    private static readonly string[] MulAcc = ["madd", "maddu", "msub", "msubu"];
    private static readonly string[] BranchTwo = ["beq", "bne", "beql", "bnel"];
    private static readonly string[] BranchOne = ["blez", "bgtz", "bltz", "bgez", "blezl", "bgtzl", "bltzl", "bgezl"];
    private static readonly string[] BranchLink = ["bltzal", "bgezal", "bltzall", "bgezall"];
    private static readonly HashSet<string> LikelyBranches = ["beql", "bnel", "blezl", "bgtzl", "bltzl", "bgezl", "bltzall", "bgezall"];

    private static readonly (string Op, int Size, bool Store)[] Accesses =
    [
        ("lb", 1, false), ("lbu", 1, false), ("lh", 2, false), ("lhu", 2, false), ("lw", 4, false),
        ("sb", 1, true), ("sh", 2, true), ("sw", 4, true),
        ("lwl", 1, false), ("lwr", 1, false), ("swl", 1, true), ("swr", 1, true),
    ];

    public static FuzzCase Generate(ulong seed, long index)
    {
        var rng = SplitMix64.ForCase(seed, index);
        var registers = FuzzRegisters.Usable.Select(_ => Value(rng)).ToArray();
        uint hi = Value(rng);
        uint lo = Value(rng);
        var scratch = Enumerable.Range(0, ScratchBytes / 4).Select(_ => Value(rng)).ToArray();

        var state = new State(rng, index);
        int count = rng.Range(MinItems, MaxItems);
        for (int i = 0; i < count; i++)
        {
            state.PlaceDueLabels();
            state.Emit(state.NextItem());
        }

        state.PlaceAllLabels();
        return new FuzzCase(index, registers, hi, lo, scratch, state.Items);
    }

    /// <summary>A register value: the edges of every range an instruction cares about, small numbers, powers of two, anything.</summary>
    private static uint Value(SplitMix64 rng) => rng.Next(20) switch
    {
        < 6 => rng.Pick(Interesting),
        < 9 => (uint)rng.Range(-64, 64),
        < 11 => rng.Chance(50) ? 1u << rng.Next(32) : ~(1u << rng.Next(32)),
        11 => (1u << rng.Next(32)) - 1,
        _ => rng.NextUInt32(),
    };

    private static string Hex(uint v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    private sealed class State(SplitMix64 rng, long index)
    {
        private readonly List<(string Label, int Remaining)> _labels = [];
        private readonly HiLoFlow _flow = new();
        private int _nextLabel;

        public List<FuzzItem> Items { get; } = [];

        public void Emit(FuzzItem item)
        {
            Items.Add(item);
            _flow.Apply(item);
            for (int i = 0; i < _labels.Count; i++)
            {
                _labels[i] = (_labels[i].Label, _labels[i].Remaining - 1);
            }
        }

        public void PlaceDueLabels()
        {
            foreach (var due in _labels.Where(l => l.Remaining <= 0).ToList())
            {
                _labels.Remove(due);
                Place(due.Label);
            }
        }

        public void PlaceAllLabels()
        {
            foreach (var (label, _) in _labels)
            {
                Place(label);
            }

            _labels.Clear();
        }

        private void Place(string label)
        {
            var item = FuzzItem.LabelAt(label);
            Items.Add(item);
            _flow.Apply(item);
        }

        public FuzzItem NextItem()
        {
            while (true)
            {
                var item = rng.Next(100) switch
                {
                    < 30 => FuzzItem.Op(Simple()),
                    < 38 => OverflowSafe(),
                    < 54 => HiLo(),
                    < 74 => Memory(),
                    < 94 => Branch(),
                    _ => FuzzItem.Op(Odd()),
                };
                if (_flow.CanExecute(item))
                {
                    return item;
                }
            }
        }

        private string Src() => rng.Chance(8) ? "$zero" : FuzzRegisters.Name(rng.Pick(FuzzRegisters.Usable));

        private string Dst() => rng.Chance(3) ? "$zero" : FuzzRegisters.Name(rng.Pick(FuzzRegisters.Usable));

        private string NonZeroDst() => FuzzRegisters.Name(rng.Pick(FuzzRegisters.Usable));

        private int Imm16() => rng.Next(4) switch
        {
            0 => rng.Range(-8, 8),
            1 => rng.Pick([-32768, 32767, -1, 0x7FF0, -0x7FF0]),
            _ => rng.Range(-32768, 32767),
        };

        private int UImm16() => rng.Next(3) switch
        {
            0 => rng.Range(0, 16),
            1 => rng.Pick([0xFFFF, 0x8000, 0x7FFF, 0xFF00, 0x00FF]),
            _ => rng.Range(0, 0xFFFF),
        };

        /// <summary>One instruction that only writes a GPR (or nothing).</summary>
        private string Simple()
        {
            switch (rng.Next(5))
            {
                case 0:
                case 1:
                {
                    string op = rng.Pick(Alu3);
                    string rd = Dst(), rs = Src(), rt = Src();
                    return op is "sllv" or "srlv" or "srav" or "rotrv" ? $"{op} {rd}, {rt}, {rs}" : $"{op} {rd}, {rs}, {rt}";
                }

                case 2:
                    return rng.Next(7) switch
                    {
                        0 => $"addiu {Dst()}, {Src()}, {Imm16()}",
                        1 => $"andi {Dst()}, {Src()}, {Hex((uint)UImm16())}",
                        2 => $"ori {Dst()}, {Src()}, {Hex((uint)UImm16())}",
                        3 => $"xori {Dst()}, {Src()}, {Hex((uint)UImm16())}",
                        4 => $"slti {Dst()}, {Src()}, {Imm16()}",
                        5 => $"sltiu {Dst()}, {Src()}, {Imm16()}",
                        _ => $"lui {Dst()}, {Hex((uint)UImm16())}",
                    };
                case 3:
                    return $"{rng.Pick(ShiftImm)} {Dst()}, {Src()}, {rng.Next(32)}";
                default:
                {
                    int which = rng.Next(Unary.Length + 2);
                    if (which < Unary.Length)
                    {
                        return $"{Unary[which]} {Dst()}, {Src()}";
                    }

                    int pos = rng.Next(32);
                    int size = rng.Range(1, 32 - pos);
                    return which == Unary.Length
                        ? $"ext {Dst()}, {Src()}, {pos}, {size}"
                        : $"ins {Dst()}, {Src()}, {pos}, {size}";
                }
            }
        }

        /// <summary>ADD, SUB, ADDI on operands halved first (SRA 1): the result fits, nothing traps.</summary>
        private FuzzItem OverflowSafe()
        {
            string a = NonZeroDst(), b = NonZeroDst();
            var lines = new List<string> { $"sra {a}, {Src()}, 1" };
            switch (rng.Next(3))
            {
                case 0:
                    lines.Add($"sra {b}, {Src()}, 1");
                    lines.Add($"add {Dst()}, {a}, {b}");
                    break;
                case 1:
                    lines.Add($"sra {b}, {Src()}, 1");
                    lines.Add($"sub {Dst()}, {a}, {b}");
                    break;
                default:
                    lines.Add($"addi {Dst()}, {a}, {Imm16()}");
                    break;
            }

            return new FuzzItem(lines);
        }

        private FuzzItem HiLo()
        {
            switch (rng.Next(10))
            {
                case 0:
                case 1:
                case 2:
                {
                    string op = rng.Pick(MulDiv);
                    // A divisor of zero now and then: LO = dividend, HI = 0.
                    // "div $zero, rs, rt" is the bare instruction; "div rs, rt" would be GNU as's macro with a TEQ check.
                    bool divide = op.StartsWith('d');
                    string rs = Src();
                    string rt = divide && rng.Chance(10) ? "$zero" : Src();
                    return FuzzItem.Op(divide ? $"{op} $zero, {rs}, {rt}" : $"{op} {rs}, {rt}", HiLoEffect.WritesBoth);
                }

                case 3:
                case 4:
                    return FuzzItem.Op($"{rng.Pick(MulAcc)} {Src()}, {Src()}", HiLoEffect.ReadsWritesBoth);
                case 5:
                    return FuzzItem.Op($"mfhi {Dst()}", HiLoEffect.ReadsHi);
                case 6:
                    return FuzzItem.Op($"mflo {Dst()}", HiLoEffect.ReadsLo);
                case 7:
                    return rng.Chance(50)
                        ? FuzzItem.Op($"mthi {Src()}", HiLoEffect.WritesHi)
                        : FuzzItem.Op($"mtlo {Src()}", HiLoEffect.WritesLo);
                default:
                    return FuzzItem.Op($"mul {Dst()}, {Src()}, {Src()}", HiLoEffect.Clobbers);
            }
        }

        /// <summary>An access to the scratch buffer through a freshly loaded base register, at a
        /// random displacement so that negative offsets occur too.</summary>
        private FuzzItem Memory()
        {
            string b = NonZeroDst();
            if (rng.Chance(15))
            {
                // The unaligned pairs compilers emit: LWL/LWR (SWL/SWR) of one word.
                int bias = rng.Range(0, ScratchBytes);
                var lines = new List<string> { Base(b, bias) };
                int at = rng.Range(0, ScratchBytes - 4) - bias;
                if (rng.Chance(50))
                {
                    // The LWL must not overwrite the base the LWR still needs.
                    string rt = Dst();
                    while (rt == b)
                    {
                        rt = Dst();
                    }

                    lines.Add($"lwl {rt}, {at + 3}({b})");
                    lines.Add($"lwr {rt}, {at}({b})");
                }
                else
                {
                    string rt = Src();
                    lines.Add($"swl {rt}, {at + 3}({b})");
                    lines.Add($"swr {rt}, {at}({b})");
                }

                return new FuzzItem(lines);
            }

            var (setup, access) = Access(b);
            return new FuzzItem([setup, access]);
        }

        /// <summary>One load or store of the scratch buffer: the line that loads base
        /// <paramref name="b"/>, and the access itself (which may go in a delay slot).</summary>
        private (string Setup, string Access) Access(string b)
        {
            int bias = rng.Range(0, ScratchBytes);
            var (op, size, store) = rng.Pick(Accesses);
            int address = rng.Next(ScratchBytes / size) * size;
            return (Base(b, bias), $"{op} {(store ? Src() : Dst())}, {address - bias}({b})");
        }

        private static string Base(string b, int bias) => bias == 0 ? $"la {b}, fuzz_scratch" : $"la {b}, fuzz_scratch+{bias}";

        private FuzzItem Branch()
        {
            string label = $".Lf{index}_{_nextLabel++}";
            int skip = rng.Next(8) switch
            {
                < 3 => 0,
                < 5 => 1,
                < 7 => rng.Range(2, 3),
                _ => rng.Range(4, 6),
            };
            _labels.Add((label, skip));
            var lines = new List<string>();
            bool always = false;
            string op;
            string? via = null; // JR/JALR: the register holding the target
            string? link = null; // the register the branch links into
            switch (rng.Next(20))
            {
                case < 6:
                {
                    string rs = Src();
                    string rt = rng.Chance(25) ? rs : Src();
                    op = rng.Pick(BranchTwo);
                    lines.Add($"{op} {rs}, {rt}, {label}");
                    break;
                }

                case < 12:
                    op = rng.Pick(BranchOne);
                    lines.Add($"{op} {Src()}, {label}");
                    break;
                case < 15:
                    op = rng.Pick(BranchLink);
                    lines.Add($"{op} {NotRa(Src())}, {label}");
                    link = "$ra";
                    break;
                case 15:
                    op = rng.Chance(50) ? "b" : "bal";
                    lines.Add($"{op} {label}");
                    link = op == "bal" ? "$ra" : null;
                    always = true;
                    break;
                case 16:
                case 17:
                    op = rng.Chance(50) ? "j" : "jal";
                    lines.Add($"{op} {label}");
                    link = op == "jal" ? "$ra" : null;
                    always = true;
                    break;
                default:
                {
                    via = NonZeroDst();
                    lines.Add($"la {via}, {label}");
                    if (rng.Chance(40))
                    {
                        op = "jr";
                        lines.Add($"jr {via}");
                    }
                    else
                    {
                        op = "jalr";
                        string rd = rng.Chance(50) ? "$ra" : NonZeroDst();
                        while (rd == via)
                        {
                            rd = NonZeroDst();
                        }

                        lines.Add($"jalr {rd}, {via}");
                        link = rd;
                    }

                    always = true;
                    break;
                }
            }

            // The delay slot: any single instruction but a branch or jump. A load or store gets its
            // base loaded before the branch, in a register the branch does not overwrite.
            var hiLo = HiLoEffect.None;
            switch (rng.Next(20))
            {
                case < 2:
                    lines.Add("nop");
                    break;
                case < 5:
                {
                    string b = NonZeroDst();
                    while (b == via || b == link)
                    {
                        b = NonZeroDst();
                    }

                    var (setup, access) = Access(b);
                    lines.Insert(0, setup);
                    lines.Add(access);
                    break;
                }

                case < 7:
                {
                    var item = HiLo();
                    lines.Add(item.Lines[0]);
                    hiLo = item.HiLo;
                    break;
                }

                default:
                    lines.Add(Simple());
                    break;
            }

            return new FuzzItem(lines, hiLo, Target: label, Unconditional: always, Likely: LikelyBranches.Contains(op));
        }

        // BLTZAL & co. with rs = ra are UNPREDICTABLE (the link would overwrite the operand).
        private string NotRa(string register) => register == "$ra" ? "$zero" : register;

        /// <summary>Rarely used instructions that must do nothing: NOP/SSNOP/EHB, SYNC, PAUSE-free
        /// hints, and trap instructions whose condition is false for any value.</summary>
        private string Odd()
        {
            string r = Src();
            return rng.Next(10) switch
            {
                0 => "nop",
                1 => "ssnop",
                2 => "ehb",
                3 => "sync",
                4 => $"tne {r}, {r}",
                5 => $"tlt {r}, {r}",
                6 => $"tltu {r}, {r}",
                7 => "teqi $zero, 1",
                8 => "tnei $zero, 0",
                _ => rng.Chance(50) ? "tgei $zero, 1" : "tlti $zero, 0",
            };
        }
    }
}
