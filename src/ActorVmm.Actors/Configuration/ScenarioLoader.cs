using System.Reflection;
using ActorVmm.Cpu.Board;
using ActorVmm.Monitor;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorVmm.Actors.Configuration;

/// <summary>
/// Reads a scenario: its HOCON over the embedded reference configuration, every key
/// checked against the reference, every value validated, into <see cref="MonitorSettings"/>.
/// </summary>
public static class ScenarioLoader
{
    private const string Root = "actorvmm";

    public static Config Reference { get; } = ConfigurationFactory.ParseString(ReadResource("actorvmm-reference.conf"));

    public static string DefaultScenarioText => ReadResource("two-guests.conf");

    public static MonitorSettings LoadFile(string path, Func<string, string>? resolveKernel = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException($"cannot read scenario {path}: {e.Message}");
        }

        return Load(text, Path.GetFileName(path), resolveKernel);
    }

    public static MonitorSettings Load(string hocon, string name, Func<string, string>? resolveKernel = null)
    {
        if (HoconBrackets.FindProblem(hocon) is { } problem)
        {
            throw new ScenarioException($"{name}: not valid HOCON: {problem}");
        }

        RefuseObjectConcatenation(hocon, name);
        Config scenario;
        try
        {
            scenario = ConfigurationFactory.ParseString(hocon);
        }
        catch (Exception e)
        {
            throw new ScenarioException($"{name}: not valid HOCON: {e.Message}");
        }

        CheckKeys(scenario, name);
        var config = scenario.WithFallback(Reference).GetConfig(Root);
        var reader = new Reader(config, name);
        var machine = new MachineSettings(
            (int)reader.Integer("machine.physical-cpus", 1, 64),
            reader.Size("machine.memory", 1UL << 20, 64UL << 30),
            (int)reader.Integer("machine.tlb-entries", 1, 64));
        var scheduler = new SchedulerSettings(
            reader.Integer("scheduler.quantum", 1000, 1L << 40),
            reader.Integer("scheduler.epoch", 1000, 1L << 40),
            reader.Boolean("scheduler.load-balancing"),
            reader.Boolean("scheduler.affinity"));
        if (scheduler.Epoch < scheduler.Quantum)
        {
            throw new ScenarioException($"{name}: actorvmm.scheduler.epoch ({scheduler.Epoch}) must be at least actorvmm.scheduler.quantum ({scheduler.Quantum})");
        }

        var l2 = new L2TlbSettings(reader.L2TlbMode("monitor.l2-tlb"), (int)reader.Integer("monitor.l2-tlb-entries", 1, 1 << 20));
        if ((l2.Entries & (l2.Entries - 1)) != 0)
        {
            throw new ScenarioException($"{name}: {Root}.monitor.l2-tlb-entries = {l2.Entries}: expected a power of two");
        }

        var vms = ReadVms(config, name, resolveKernel ?? (p => p), l2);
        var trace = new TraceSettings(reader.Boolean("trace.enabled"), reader.String("trace.file"));
        var output = new OutputSettings(reader.String("output.directory"), reader.Boolean("output.console"), reader.Progress("output.progress"), reader.Boolean("output.json-report"));
        var report = new ReportSettings(reader.Boolean("report.compare-native"));
        var sharing = new Memory.PageSharingSettings(reader.Boolean("monitor.page-sharing.images"), reader.Boolean("monitor.page-sharing.content"),
            (int)reader.Integer("monitor.page-sharing.scan-rate", 1, 1 << 24));
        return new MonitorSettings(name, machine, scheduler, vms, trace, output, report, ReadCosts(reader)) { Sharing = sharing };
    }

    /// <summary>Keys a VM entry may set besides vm-defaults': its name, and the monitor's per-VM techniques.</summary>
    private static readonly string[] VmOnlyKeys = ["name", "l2-tlb"];

    private static IReadOnlyList<VmSettings> ReadVms(Config config, string name, Func<string, string> resolveKernel, L2TlbSettings l2)
    {
        var defaults = config.GetConfig("vm-defaults");
        var list = config.GetValue("vms")?.GetArray() ?? [];
        if (list.Count == 0)
        {
            throw new ScenarioException($"{name}: actorvmm.vms is empty: a scenario needs at least one VM");
        }

        var vms = new List<VmSettings>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            string where = $"actorvmm.vms[{i}]";
            if (!list[i].IsObject())
            {
                throw new ScenarioException($"{name}: {where} must be an object like {{ name = \"a\", cmdline = \"run=pmake\" }}");
            }

            var vm = new Config(new HoconRoot(list[i]));
            foreach (var key in vm.AsEnumerable().Select(kv => kv.Key))
            {
                if (!VmOnlyKeys.Contains(key) && !defaults.HasPath(key))
                {
                    throw new ScenarioException($"{name}: unknown key {where}.{key}{Suggest(key, defaults.AsEnumerable().Select(kv => kv.Key).Concat(VmOnlyKeys))}");
                }
            }

            // A bad value is reported where it was written: this VM's entry, or vm-defaults.
            var reader = new Reader(vm.WithFallback(defaults), name, key => vm.HasPath(key) ? $"{where}.{key}" : $"{Root}.vm-defaults.{key}");
            string vmName = vm.HasPath("name") ? vm.GetString("name") : $"vm{i + 1}";
            if (!names.Add(vmName))
            {
                throw new ScenarioException($"{name}: {where}.name \"{vmName}\" is used by two VMs");
            }

            uint memory = (uint)reader.Size("memory", BootConfiguration.MinimumMemorySize, BootConfiguration.MaximumMemorySize);
            if (memory % 4096 != 0)
            {
                throw new ScenarioException($"{name}: {where}.memory must be a multiple of 4K");
            }

            vms.Add(new VmSettings(i + 1, vmName, resolveKernel(reader.String("kernel")), memory, reader.String("cmdline"), reader.Integer("max-instructions", 0, long.MaxValue))
            {
                L2Tlb = vm.HasPath("l2-tlb") ? l2 with { Mode = reader.L2TlbMode("l2-tlb") } : l2,
            });
        }

        return vms;
    }

    private static CostModel ReadCosts(Reader r) => new()
    {
        GuestInstruction = r.Integer("costs.guest-instruction", 1, 1000),
        TrapEntryExit = r.Cost("costs.trap-entry-exit"),
        Reflection = r.Cost("costs.reflection"),
        Mfc0 = r.Cost("costs.mfc0"),
        Mtc0 = r.Cost("costs.mtc0"),
        Tlbp = r.Cost("costs.tlbp"),
        Tlbr = r.Cost("costs.tlbr"),
        TlbWrite = r.Cost("costs.tlb-write"),
        Eret = r.Cost("costs.eret"),
        Wait = r.Cost("costs.wait"),
        InterruptEnable = r.Cost("costs.di-ei"),
        Cache = r.Cost("costs.cache"),
        TlbWriteInterception = r.Cost("costs.tlb-write-interception"),
        L2TlbRefill = r.Cost("costs.l2-tlb-refill"),
        MpnAllocation = r.Cost("costs.mpn-allocation"),
        MachineSwitch = r.Cost("costs.machine-switch"),
        TlbFlush = r.Cost("costs.tlb-flush"),
        DeviceEmulation = r.Cost("costs.device-emulation"),
        MonitorCall = r.Cost("costs.monitor-call"),
        SpecialPageSync = r.Cost("costs.special-page"),
        CopyOnWrite = r.Cost("costs.copy-on-write"),
    };

    /// <summary>
    /// In HOCON, <c>{ a } { b }</c> on one line is one object (the two are merged), so a list of
    /// VMs written that way silently becomes a single VM. No scenario means that; refuse it.
    /// </summary>
    private static void RefuseObjectConcatenation(string hocon, string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(hocon, @"\}[ \t]*\{");
        if (match.Success)
        {
            int line = hocon[..match.Index].Count(c => c == '\n') + 1;
            throw new ScenarioException($"{name}, line {line}: two objects on one line ('}} {{') are merged into one by HOCON; separate the VMs with a comma or a newline");
        }
    }

    /// <summary>Every key the scenario sets must exist in the reference configuration.</summary>
    private static void CheckKeys(Config scenario, string name)
    {
        foreach (var (path, _) in Leaves(scenario.Root.GetObject(), ""))
        {
            if (path == Root + ".vms" || path.StartsWith(Root + ".vms.", StringComparison.Ordinal))
            {
                continue;
            }

            if (!Reference.HasPath(path))
            {
                var known = Leaves(Reference.Root.GetObject(), "").Select(l => l.Path);
                throw new ScenarioException($"{name}: unknown key {path}{Suggest(path, known)}");
            }
        }
    }

    private static IEnumerable<(string Path, HoconValue Value)> Leaves(HoconObject obj, string prefix)
    {
        foreach (var (key, value) in obj.Items)
        {
            string path = prefix.Length == 0 ? key : prefix + "." + key;
            if (value.IsObject())
            {
                foreach (var leaf in Leaves(value.GetObject(), path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (path, value);
            }
        }
    }

    private static string Suggest(string key, IEnumerable<string> known)
    {
        string leaf = key[(key.LastIndexOf('.') + 1)..];
        // Closest leaf name first; among equals, the key in the same section as the typo.
        var best = known.Select(k => (Key: k, Distance: Levenshtein(leaf, k[(k.LastIndexOf('.') + 1)..])))
            .Where(k => k.Distance <= Math.Max(2, leaf.Length / 3))
            .OrderBy(k => k.Distance)
            .ThenByDescending(k => CommonPrefix(k.Key, key))
            .FirstOrDefault();
        return best.Key is null ? "" : $" (did you mean {best.Key}?)";
    }

    private static int CommonPrefix(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }

        return n;
    }

    private static int Levenshtein(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            d[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int previous = d[0];
            d[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return d[b.Length];
    }

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Typed reads that name the key and the allowed range when a value is wrong.</summary>
    private sealed class Reader(Config config, string file, Func<string, string>? describe = null)
    {
        private string Describe(string key) => describe?.Invoke(key) ?? $"{Root}.{key}";

        public long Integer(string key, long min, long max)
        {
            string raw = Raw(key);
            if (!long.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long value) || value < min || value > max)
            {
                throw Invalid(key, raw, $"an integer from {min} to {max}");
            }

            return value;
        }

        public long Cost(string key) => Integer(key, 0, 1_000_000);

        public ulong Size(string key, ulong min, ulong max)
        {
            string raw = Raw(key);
            long? size;
            try
            {
                size = config.GetByteSize(key);
            }
            catch (Exception)
            {
                size = null;
            }

            if (size is null || size < (long)min || (ulong)size > max)
            {
                throw Invalid(key, raw, $"a size from {min >> 20}M to {max >> 20}M (e.g. 16M)");
            }

            return (ulong)size.Value;
        }

        public bool Boolean(string key)
        {
            string raw = Raw(key);
            return raw switch
            {
                "on" or "true" or "yes" => true,
                "off" or "false" or "no" => false,
                _ => throw Invalid(key, raw, "on or off"),
            };
        }

        public string String(string key) => Raw(key);

        public L2TlbMode L2TlbMode(string key)
        {
            string raw = Raw(key);
            return raw switch
            {
                "exact" => Monitor.L2TlbMode.Exact,
                "disco" => Monitor.L2TlbMode.Disco,
                _ => throw Invalid(key, raw, "exact or disco"),
            };
        }

        public ProgressMode Progress(string key)
        {
            string raw = Raw(key);
            return raw switch
            {
                "auto" => ProgressMode.Auto,
                "on" or "true" or "yes" => ProgressMode.On,
                "off" or "false" or "no" => ProgressMode.Off,
                _ => throw Invalid(key, raw, "auto, on or off"),
            };
        }

        private string Raw(string key)
        {
            if (!config.HasPath(key))
            {
                throw new ScenarioException($"{file}: {Describe(key)} is missing");
            }

            return config.GetString(key) ?? "";
        }

        private ScenarioException Invalid(string key, string raw, string expected) =>
            new($"{file}: {Describe(key)} = {raw}: expected {expected}");
    }
}
