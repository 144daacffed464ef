using System.Text;
using ActorVmm.Actors.Configuration;
using ActorVmm.Actors.Tests.Support;
using ActorVmm.Cpu.Board;
using Xunit;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// Scenario files as an attacker or a hurried user writes them: the shipped scenarios mutated
/// (HOCON fragments inserted, spans deleted, duplicated and swapped, files cut short) and
/// scenarios generated from random HOCON structure and values. Every one must end in settings
/// that can be run or in a <see cref="ScenarioException"/> with a one-line message, never
/// another exception, a hang, or a crashed process (a stack overflow would take the test host
/// with it, which fails the run too).
/// </summary>
public sealed class ScenarioFuzzTests
{
    private const int Cases = 6000;
    private const int Seed = 20251203;

    /// <summary>A case that takes this long is a hang: Akka's parser loops forever on some input.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public void Random_and_mutated_scenarios_end_in_runnable_settings_or_a_one_line_refusal()
    {
        var random = new Random(Seed);
        var seeds = SeedScenarios();
        var cases = new string[Cases];
        for (int i = 0; i < Cases; i++)
        {
            cases[i] = i % 2 == 0 ? Mutate(random, seeds) : new Generator(random).Scenario();
        }

        var failures = new List<string>();
        int current = -1;
        var worker = new Thread(() =>
        {
            for (int i = 0; i < cases.Length && failures.Count < 5; i++)
            {
                Volatile.Write(ref current, i);
                if (Check(cases[i]) is { } problem)
                {
                    failures.Add($"case {i}: {problem}\n--- scenario ---\n{Excerpt(cases[i])}\n---");
                }
            }

            Volatile.Write(ref current, cases.Length);
        }) { IsBackground = true, Name = "scenario fuzz" };
        worker.Start();

        int seen = -1;
        while (!worker.Join(HangLimit))
        {
            int now = Volatile.Read(ref current);
            if (now == seen)
            {
                Assert.Fail($"case {now} has not finished in {HangLimit.TotalSeconds} s:\n{Excerpt(cases[now])}");
            }

            seen = now;
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>Null if the outcome is acceptable, else what is wrong with it.</summary>
    private static string? Check(string text)
    {
        MonitorSettings settings;
        try
        {
            settings = ScenarioLoader.Load(text, "fuzz.conf");
        }
        catch (ScenarioException e)
        {
            if (e.InnerException is not null)
            {
                return $"an unexpected {e.InnerException.GetType().Name} wrapped: {e.InnerException}";
            }

            if (!e.Message.StartsWith("fuzz.conf", StringComparison.Ordinal) || e.Message.Length > 400 || e.Message.Any(char.IsControl))
            {
                return $"not a one-line message naming the file: {e.Message}";
            }

            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name} instead of a ScenarioException: {e}";
        }

        return RunnableProblem(settings);
    }

    /// <summary>What the boot contract and the host would refuse later, in a VM that cannot say which key was wrong.</summary>
    private static string? RunnableProblem(MonitorSettings settings)
    {
        if (settings.Vms.Count == 0)
        {
            return "accepted with no VM";
        }

        foreach (var vm in settings.Vms)
        {
            if (vm.MemoryBytes is < BootConfiguration.MinimumMemorySize or > BootConfiguration.MaximumMemorySize || vm.MemoryBytes % 4096 != 0)
            {
                return $"accepted VM memory {vm.MemoryBytes}";
            }

            if (vm.CommandLine.Length > BootConfiguration.MaximumCommandLine || vm.CommandLine.Any(c => c is < ' ' or > '~'))
            {
                return $"accepted command line {ScenarioText.Show(vm.CommandLine)}";
            }

            if (vm.Name.Length == 0 || vm.Name.Any(char.IsControl) || vm.KernelPath.Length == 0 || vm.KernelPath.Any(char.IsControl))
            {
                return $"accepted name {ScenarioText.Show(vm.Name)} or kernel {ScenarioText.Show(vm.KernelPath)}";
            }
        }

        if (settings.Output.Directory.Length == 0 || settings.Output.Directory.Any(char.IsControl) || settings.Trace.File.Length == 0 || settings.Trace.File.Any(char.IsControl))
        {
            return "accepted an output path the host cannot use";
        }

        return settings.Machine.PhysicalCpus is < 1 or > 64 || settings.Scheduler.Epoch < settings.Scheduler.Quantum ? "accepted an impossible machine or scheduler" : null;
    }

    private static string Excerpt(string text) => text.Length <= 2000 ? text : text[..2000] + $"... ({text.Length:N0} characters)";

    private static string[] SeedScenarios()
    {
        var dir = Path.Combine(Repo.Root, "hocon", "scenarios");
        return
        [
            .. Directory.GetFiles(dir, "*.conf").Order(StringComparer.Ordinal).Select(File.ReadAllText),
            File.ReadAllText(Path.Combine(Repo.Root, "hocon", "actorvmm-reference.conf")) + "\nactorvmm.vms = [{ name = a }]\n",
            "a = ${b}\nb = ${a}\n",
            "actorvmm { vms = [{name = ${?NOPE}}] }\n",
            "include \"/etc/passwd\"\nactorvmm.vms = [{ name = x }]\n",
            "actorvmm {\n  vms = [\n    { name = \"a} {b\", cmdline = \"run=pmake\" }\n    { name = c, memory = 4M, kernel = \"k.elf\" }\n  ]\n}\n",
        ];
    }

    /// <summary>HOCON's syntax in pieces, and values the loader must check.</summary>
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", "=", ":", "+=", ".", "\n", " ", "\t", "\r", "\r\n", "\"", "\"\"\"", "\\", "#", "//", "$", "${", "${?", "}",
        "${a}", "${actorvmm.vms}", "${?NOPE}", "include ", "include \"x\"", "?", "!", "@", "*", "&", "`", "^", "\0", "\u00A0", "\u2028", "\uFEFF",
        "null", "true", "off", "0", "-1", "16M", "1.5M", "17179869185G", "99999999999999999999", "\"\\u0000\"", "\"\\q\"", "\"\\u12\"",
        "actorvmm", "vms", "name", "kernel", "cmdline", "memory", "machine", "costs", "vm-defaults", "{ name = a }", "[{ name = b }]", "[]", "{}",
        "\"a.b\"", "\"\"", "} {", "] [", "=\n", "x x x x", new string('x', 300), new string('[', 40), new string('{', 40),
    ];

    private static string Mutate(Random random, string[] seeds)
    {
        var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
        // Mostly a few edits, so that much of the file stays valid and later checks are reached.
        int edits = random.Next(4) == 0 ? 1 + random.Next(8) : 1 + random.Next(2);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(text.Length + 1);
            int span = Math.Min(text.Length - at, 1 + random.Next(40));
            switch (random.Next(7))
            {
                case 0:
                case 1:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    text.Remove(at, span);
                    break;
                case 3 when text.Length > 0:
                    text[Math.Min(at, text.Length - 1)] = (char)random.Next(random.Next(4) == 0 ? 0x10000 : 0x80);
                    break;
                case 4:
                    text.Insert(at, text.ToString(at, span));
                    break;
                case 5:
                    string other = seeds[random.Next(seeds.Length)];
                    int from = random.Next(other.Length);
                    text.Insert(at, other.AsSpan(from, Math.Min(other.Length - from, random.Next(200))));
                    break;
                default:
                    text.Length = at;
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Random HOCON: mostly the reference's own keys, written in one of HOCON's several styles
    /// (dotted paths, nested sections, ':' or '=', commas or newlines), with values of every
    /// kind, valid and not; sometimes unknown keys, deep nesting and constructs Akka mishandles.
    /// </summary>
    private sealed class Generator(Random random)
    {
        private static readonly string[] Settings = [.. Leaves(ScenarioLoader.Reference.GetConfig("actorvmm").Root.GetObject(), "").Where(k => k != "vms").Order(StringComparer.Ordinal)];

        private static readonly string[] VmKeys = ["name", "kernel", "memory", "cmdline", "max-instructions"];

        private static readonly string[] OtherKeys = ["include", "x", "a-b_c", "9", "vms", "machine", "akka", "actorvmm"];

        private readonly StringBuilder _out = new();

        public string Scenario()
        {
            bool braced = random.Next(5) == 0;
            if (braced)
            {
                _out.Append("{\n");
            }

            bool nested = random.Next(2) == 0;
            if (nested)
            {
                _out.Append("actorvmm {\n");
            }

            int settings = random.Next(6);
            for (int i = 0; i < settings; i++)
            {
                Setting(nested ? "" : "actorvmm.");
            }

            _out.Append(nested ? "  vms" : "actorvmm.vms").Append(Assign());
            Vms();
            _out.Append('\n');
            if (nested)
            {
                _out.Append("}\n");
            }

            if (random.Next(6) == 0)
            {
                Fields(0, 1 + random.Next(3));
            }

            if (braced)
            {
                _out.Append("}\n");
            }

            return _out.ToString();
        }

        /// <summary>One setting of the reference, as a dotted path or inside its section.</summary>
        private void Setting(string prefix)
        {
            string key = random.Next(10) == 0 ? Key() : Settings[random.Next(Settings.Length)];
            int dot = key.IndexOf('.');
            if (dot > 0 && random.Next(3) == 0)
            {
                _out.Append(prefix).Append(key[..dot]).Append(" { ").Append(key[(dot + 1)..]).Append(Assign());
                Value(2, key);
                _out.Append(" }");
            }
            else
            {
                _out.Append(prefix).Append(key).Append(Assign());
                Value(1, key);
            }

            _out.Append(random.Next(5) switch { 0 => ",\n", 1 => " # comment\n", 2 => ", ", _ => "\n" });
        }

        private void Vms()
        {
            if (random.Next(8) == 0)
            {
                Value(1, "vms");
                return;
            }

            _out.Append('[');
            int count = random.Next(5);
            for (int i = 0; i < count; i++)
            {
                _out.Append(i == 0 ? "" : random.Next(3) == 0 ? ", " : "\n    ");
                _out.Append("{ ");
                int fields = random.Next(4);
                for (int f = 0; f < fields; f++)
                {
                    string key = random.Next(8) == 0 ? Key() : VmKeys[random.Next(VmKeys.Length)];
                    _out.Append(key).Append(Assign());
                    Value(2, key);
                    _out.Append(random.Next(20) == 0 ? " " : ", ");
                }

                _out.Append('}');
            }

            _out.Append(random.Next(4) == 0 ? ",]" : "\n  ]");
        }

        private void Fields(int depth, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _out.Append(' ', depth * 2);
                int segments = 1 + random.Next(random.Next(6) == 0 ? 20 : 3);
                _out.AppendJoin('.', Enumerable.Range(0, segments).Select(_ => Key()));
                if (random.Next(4) == 0)
                {
                    _out.Append(" {\n");
                    Fields(depth + 1, random.Next(4));
                    _out.Append(' ', depth * 2).Append('}');
                }
                else
                {
                    _out.Append(Assign());
                    Value(depth + 1, "");
                }

                _out.Append(random.Next(5) switch { 0 => ",\n", 1 => " # comment\n", 2 => ", ", _ => "\n" });
            }
        }

        private string Key() => random.Next(12) switch
        {
            0 => $"\"{OtherKeys[random.Next(OtherKeys.Length)]}\"",
            1 => $"\"{Escaped(RandomText(8))}\"",
            2 => RandomText(4),
            3 or 4 => OtherKeys[random.Next(OtherKeys.Length)],
            _ => VmKeys[random.Next(VmKeys.Length)],
        };

        private string Assign() => random.Next(40) switch { < 8 => ": ", < 16 => "=", 16 => " += ", _ => " = " };

        /// <summary>A value, half the time one of the kind <paramref name="key"/> wants.</summary>
        private void Value(int depth, string key)
        {
            if (random.Next(2) == 0 && Typical(key) is { } typical)
            {
                _out.Append(typical);
                return;
            }

            switch (random.Next(depth > 20 ? 14 : 18))
            {
                case 0: _out.Append(random.NextInt64(-1L << 40, 1L << 40)); break;
                case 1: _out.Append(random.Next(1, 300)).Append(new[] { "K", "M", "G", "T", "B", "MiB", "kB", "x", "" }[random.Next(9)]); break;
                case 2: _out.Append(new[] { "on", "off", "true", "false", "yes", "no", "null", "auto", "maybe" }[random.Next(9)]); break;
                case 3: _out.Append('"').Append(Escaped(RandomText(random.Next(random.Next(10) == 0 ? 2000 : 30)))).Append('"'); break;
                case 4: _out.Append("\"\"\"").Append(RandomText(20).Replace("\"", "")).Append("\"\"\""); break;
                case 5: _out.Append(random.Next(2) == 0 ? "${" : "${?").Append(Key()).Append('}'); break;
                case 6: _out.Append("run=pmake ").Append(RandomText(5)); break;
                case 7: _out.Append(RandomText(6)); break;
                case 8: _out.Append("guests/bin/kernel.elf"); break;
                case 9: break;
                case 10: _out.Append("16M 32M"); break;
                case 11: _out.Append('"').Append(new string('x', 1000 + random.Next(100))).Append('"'); break;
                case 12: _out.Append("\"a\\u0000b\""); break;
                case 13: _out.Append(random.Next(1, 64)); break;
                case 14 or 15:
                    _out.Append("{ ");
                    Fields(depth + 1, random.Next(3));
                    _out.Append(" }");
                    break;
                default:
                    _out.Append('[');
                    int n = random.Next(4);
                    for (int i = 0; i < n; i++)
                    {
                        Value(depth + 1, "");
                        _out.Append(random.Next(3) == 0 ? "\n" : ", ");
                    }

                    _out.Append(']');
                    break;
            }
        }

        private string? Typical(string key) => key[(key.LastIndexOf('.') + 1)..] switch
        {
            "physical-cpus" or "tlb-entries" => random.Next(0, 70).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "memory" => $"{random.Next(0, 300)}{new[] { "M", "K", "G", "", "MB" }[random.Next(5)]}",
            "quantum" or "epoch" or "max-instructions" => random.NextInt64(-10, 10_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "load-balancing" or "affinity" or "enabled" or "console" or "json-report" or "compare-native" or "progress" =>
                new[] { "on", "off", "auto", "yes", "1" }[random.Next(5)],
            "name" => $"\"{Escaped(random.Next(4) == 0 ? RandomText(random.Next(80)) : $"vm{random.Next(5)}")}\"",
            "kernel" or "file" or "directory" => random.Next(3) == 0 ? $"\"{Escaped(RandomText(10))}\"" : "guests/bin/kernel.elf",
            "cmdline" => $"\"run=pmake{new string(' ', random.Next(2))}{(random.Next(5) == 0 ? new string('x', random.Next(1000, 1100)) : "")}\"",
            _ when key.StartsWith("costs.", StringComparison.Ordinal) => random.Next(-1, 2_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };

        private static IEnumerable<string> Leaves(Akka.Configuration.Hocon.HoconObject section, string prefix) =>
            section.Items.SelectMany(kv => kv.Value.IsObject() ? Leaves(kv.Value.GetObject(), $"{prefix}{kv.Key}.") : [prefix + kv.Key]);

        private string RandomText(int length)
        {
            var text = new StringBuilder(length);
            for (int i = 0; i < length; i++)
            {
                text.Append(random.Next(6) switch
                {
                    0 => (char)random.Next(0x20),
                    1 => "{}[]=:,\"$?#\\. "[random.Next(14)],
                    2 => (char)random.Next(0x80, 0x3000),
                    _ => (char)random.Next('a', 'z' + 1),
                });
            }

            return text.ToString();
        }

        private static string Escaped(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r");
    }
}
