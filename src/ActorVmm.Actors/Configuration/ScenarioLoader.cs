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

    /// <summary>
    /// Far above any scenario written by hand, and room for a generated fleet of about 200,000
    /// VMs; the cap keeps a device or a runaway file from being read whole.
    /// </summary>
    public const int MaximumScenarioBytes = 16 << 20;

    private const int MaximumNameLength = 64;
    private const int MaximumPathLength = 4096;

    public static Config Reference { get; } = ConfigurationFactory.ParseString(EmbeddedResources.Read("actorvmm-reference.conf"));

    public static string DefaultScenarioText => EmbeddedResources.Read("two-guests.conf");

    public static MonitorSettings LoadFile(string path, Func<string, string>? resolveKernel = null)
    {
        string text;
        try
        {
            text = ReadBounded(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScenarioException($"cannot read scenario {path}: {e.Message}");
        }

        return Load(text, Path.GetFileName(path), resolveKernel);
    }

    /// <summary>
    /// Reads a scenario; whatever the text holds, the outcome is settings or a
    /// <see cref="ScenarioException"/> with a one-line message naming the key and the problem.
    /// </summary>
    public static MonitorSettings Load(string hocon, string name, Func<string, string>? resolveKernel = null)
    {
        try
        {
            return LoadChecked(hocon, name, resolveKernel ?? (p => p));
        }
        catch (Exception e) when (e is not ScenarioException)
        {
            // A gap in the checks below, not the user's fault; still one line, not a stack trace.
            // The inner exception marks it for the fuzz tests.
            string what = e.Message.Split('\n')[0];
            throw new ScenarioException($"{name}: cannot read the scenario ({e.GetType().Name}: {ScenarioText.Show(what).Trim('"')})", e);
        }
    }

    private static MonitorSettings LoadChecked(string hocon, string name, Func<string, string> resolveKernel)
    {
        if (hocon.Length > MaximumScenarioBytes)
        {
            throw new ScenarioException($"{name}: the scenario is {hocon.Length:N0} characters; at most {MaximumScenarioBytes:N0} are read");
        }

        hocon = hocon.TrimStart('\uFEFF');
        if (HoconBrackets.FindProblem(hocon) is { } problem)
        {
            throw new ScenarioException($"{name}: not valid HOCON: {problem}");
        }

        if (ScenarioSyntax.FindProblem(hocon) is { } unsupported)
        {
            throw new ScenarioException($"{name}: {unsupported}");
        }

        Config scenario;
        try
        {
            // The newline: Akka's tokenizer fails on a '#' that is the last character of the text.
            scenario = ConfigurationFactory.ParseString(hocon + "\n");
        }
        catch (Exception e)
        {
            throw new ScenarioException($"{name}: not valid HOCON: {ScenarioText.Show(e.Message.Split('\n')[0]).Trim('"')}");
        }

        CheckShape(scenario.Root.GetObject(), Reference.Root.GetObject(), "", name);
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

        var vms = ReadVms(config, name, resolveKernel, l2);
        var trace = new TraceSettings(reader.Boolean("trace.enabled"), reader.Path("trace.file"), (int)reader.Integer("trace.stamp-every", 1, 1_000_000));
        var output = new OutputSettings(reader.Path("output.directory"), reader.Boolean("output.console"), reader.Progress("output.progress"), reader.Boolean("output.json-report"));
        var report = new ReportSettings(reader.Boolean("report.compare-native"), reader.Boolean("report.plots"));
        var cluster = new ClusterSettings(
            (int)reader.Integer("cluster.node.physical-cpus", 1, 64),
            reader.Size("cluster.node.memory", 1UL << 20, 64UL << 30),
            new MigrationSettings(
                reader.Choice("cluster.migration.policy", "off", "balance") == "balance",
                reader.Fraction("cluster.migration.threshold", 0.01, 1),
                (int)reader.Integer("cluster.migration.max-per-epoch", 1, 1000),
                (int)reader.Integer("cluster.migration.settle-epochs", 0, 1_000_000)));
        reader.Choice("cluster.placement", "least-loaded");
        var checkpoint = new CheckpointSettings(
            reader.Integer("checkpoint.every", 0, 1L << 50),
            reader.Choice("checkpoint.store", "sqlite", "postgresql") == "postgresql" ? CheckpointStoreKind.PostgreSql : CheckpointStoreKind.Sqlite,
            reader.Text("checkpoint.connection"),
            Resume: false);
        if (checkpoint.Store == CheckpointStoreKind.PostgreSql && checkpoint.Connection.Length == 0)
        {
            throw reader.Invalid("checkpoint.connection", "", "a connection string (a postgresql store needs one)");
        }

        var sharing = new Memory.PageSharingSettings(reader.Boolean("monitor.page-sharing.images"), reader.Boolean("monitor.page-sharing.content"),
            (int)reader.Integer("monitor.page-sharing.scan-rate", 1, 1 << 24));
        return new MonitorSettings(name, machine, scheduler, vms, trace, output, report, ReadCosts(reader), cluster, checkpoint) { Sharing = sharing };
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

            foreach (var (key, value) in list[i].GetObject().Items)
            {
                if (!VmOnlyKeys.Contains(key) && !defaults.HasPath(key))
                {
                    throw new ScenarioException($"{name}: unknown key {where}.{key}{Suggest(key, defaults.AsEnumerable().Select(kv => kv.Key).Concat(VmOnlyKeys))}");
                }

                if (ShapeOf(value) != Shape.Text)
                {
                    throw new ScenarioException($"{name}: {where}.{key} must be a single value, not {Describe(value)}");
                }
            }

            var vm = new Config(new HoconRoot(list[i]));
            // A bad value is reported where it was written: this VM's entry, or vm-defaults.
            var reader = new Reader(vm.WithFallback(defaults), name, key => vm.HasPath(key) ? $"{where}.{key}" : $"{Root}.vm-defaults.{key}");
            string vmName = vm.HasPath("name") ? reader.Name("name") : $"vm{i + 1}";
            if (!names.Add(vmName))
            {
                throw new ScenarioException($"{name}: {where}.name \"{vmName}\" is used by two VMs");
            }

            uint memory = (uint)reader.Size("memory", BootConfiguration.MinimumMemorySize, BootConfiguration.MaximumMemorySize);
            if (memory % 4096 != 0)
            {
                throw new ScenarioException($"{name}: {where}.memory must be a multiple of 4K");
            }

            vms.Add(new VmSettings(i + 1, vmName, reader.Kernel("kernel", resolveKernel), memory, reader.CommandLine("cmdline"),
                reader.Integer("max-instructions", 0, long.MaxValue), reader.Node("node"))
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
        Migration = r.Cost("costs.migration"),
        MigrationPerPage = r.Cost("costs.migration-per-page"),
    };

    /// <summary>
    /// Every key the scenario sets must exist in the reference configuration, with the same
    /// shape: a section stays an object, a setting a single value, <c>vms</c> a list. Akka would
    /// otherwise read a section given as text as missing, or a setting given as an object as null.
    /// </summary>
    private static void CheckShape(HoconObject scenario, HoconObject reference, string prefix, string name)
    {
        foreach (var (key, value) in scenario.Items)
        {
            string path = prefix + key;
            if (!reference.Items.TryGetValue(key, out var expected))
            {
                var known = Leaves(Reference.Root.GetObject(), "").Select(l => l.Path);
                throw new ScenarioException($"{name}: unknown key {path}{Suggest(path, known)}");
            }

            var shape = ShapeOf(value);
            if (shape == Shape.Mixed)
            {
                throw new ScenarioException($"{name}: {path} is set to an object and to a list or text at once; set it once");
            }

            switch (ShapeOf(expected))
            {
                case Shape.Object when shape == Shape.Object:
                    CheckShape(value.GetObject(), expected.GetObject(), path + ".", name);
                    break;
                case Shape.Object:
                    var keys = expected.GetObject().Items.Keys;
                    throw new ScenarioException($"{name}: {path} must be a section {{ {string.Join(", ", keys.Take(3))}{(keys.Count > 3 ? ", ..." : "")} }}, not {Describe(value)}");
                case Shape.List when shape != Shape.List:
                    throw new ScenarioException($"{name}: {path} must be a list of VMs such as [{{ name = \"a\", cmdline = \"run=pmake\" }}], not {Describe(value)}");
                case Shape.Text when shape != Shape.Text:
                    throw new ScenarioException($"{name}: {path} must be a single value, not {Describe(value)}");
            }
        }
    }

    private enum Shape
    {
        Empty,
        Text,
        Object,
        List,
        Mixed,
    }

    /// <summary>
    /// The syntax check allows no value that joins text with an object or a list on one line
    /// (spaces aside), but Akka appends a later <c>key = [...]</c> to an earlier <c>key { ... }</c> and reads only
    /// the object: such a key is <see cref="Shape.Mixed"/>.
    /// </summary>
    private static Shape ShapeOf(HoconValue value)
    {
        var elements = value.Values;
        if (elements.Count == 0)
        {
            return Shape.Empty;
        }

        if (elements.All(e => e is HoconLiteral))
        {
            return Shape.Text;
        }

        // Akka keeps the spaces after an object or a list as text of their own.
        var structured = elements.Where(e => e is not HoconLiteral { Value: var v } || !string.IsNullOrWhiteSpace(v)).ToList();
        return structured.Count == 1 ? structured[0] is HoconArray ? Shape.List : Shape.Object : Shape.Mixed;
    }

    private static string Describe(HoconValue value) => ShapeOf(value) switch
    {
        Shape.Object => "an object",
        Shape.List => "a list",
        Shape.Empty => "nothing",
        Shape.Mixed => "an object and a list or text at once",
        _ => $"text ({ScenarioText.Show(value.GetString() ?? "null")})",
    };

    /// <summary>At most <see cref="MaximumScenarioBytes"/> of a file that may be a device or a pipe, whose length means nothing.</summary>
    private static string ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaximumScenarioBytes)
            {
                throw new IOException($"it is larger than {MaximumScenarioBytes >> 20} MB, far more than a scenario");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
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
            long? size = ByteSize(raw);
            if (size is null || size < (long)min || (ulong)size > max)
            {
                throw Invalid(key, raw, $"a size from {min >> 20}M to {max >> 20}M (e.g. 16M)");
            }

            return (ulong)size.Value;
        }

        /// <summary>
        /// Akka's reading of a size (its units), with the multiplication checked: Akka's own
        /// wraps around, so that 17179869185G would be exactly 1G.
        /// </summary>
        private static long? ByteSize(string raw)
        {
            string text = raw.Trim();
            int digits = text.LastIndexOfAny("0123456789".ToCharArray()) + 1;
            string unit = text[digits..].Trim();
            try
            {
                long number = long.Parse(text[..digits], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
                long factor = unit.Length == 0 ? 1 : new HoconValue([new HoconLiteral { Value = "1" + unit }]).GetByteSize() ?? 0;
                return checked(number * factor);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                return null;
            }
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

        /// <summary>A path: the host would refuse control characters in it, in a message naming no key.</summary>
        public string Path(string key)
        {
            string raw = Raw(key);
            if (raw.Length == 0)
            {
                throw new ScenarioException($"{file}: {Describe(key)} is empty: expected a path");
            }

            if (raw.Length > MaximumPathLength || raw.Any(char.IsControl))
            {
                throw Invalid(key, raw, $"a path (at most {MaximumPathLength} characters, no control characters)");
            }

            return raw;
        }

        public string Kernel(string key, Func<string, string> resolve)
        {
            string path = Path(key);
            try
            {
                return resolve(path);
            }
            catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException or UnauthorizedAccessException)
            {
                throw new ScenarioException($"{file}: {Describe(key)} = {ScenarioText.Show(path)}: {e.Message.Split('\n')[0]}");
            }
        }

        /// <summary>What the boot contract accepts (<see cref="BootConfiguration.MaximumCommandLine"/>), checked here so that the key is named.</summary>
        public string CommandLine(string key)
        {
            string raw = Raw(key);
            if (raw.Length > BootConfiguration.MaximumCommandLine)
            {
                throw new ScenarioException($"{file}: {Describe(key)} is {raw.Length:N0} characters: a kernel command line holds at most {BootConfiguration.MaximumCommandLine}");
            }

            if (raw.Any(c => c is < ' ' or > '~'))
            {
                throw Invalid(key, raw, "printable ASCII (the kernel command line)");
            }

            return raw;
        }

        /// <summary>Free text on one line (a connection string), possibly empty.</summary>
        public string Text(string key)
        {
            string raw = Raw(key);
            if (raw.Length > MaximumPathLength || raw.Any(char.IsControl))
            {
                throw Invalid(key, raw, $"one line of at most {MaximumPathLength} characters");
            }

            return raw;
        }

        /// <summary>A VM's name labels its console lines and its report entry: one short printable line.</summary>
        public string Name(string key)
        {
            string raw = Raw(key);
            if (raw.Length is 0 or > MaximumNameLength || !raw.All(c => c == ' ' || ScenarioText.IsShownAsIs(c)))
            {
                throw Invalid(key, raw, $"a name of 1 to {MaximumNameLength} printable characters");
            }

            return raw;
        }

        /// <summary>One of <paramref name="allowed"/>, as written.</summary>
        public string Choice(string key, params string[] allowed)
        {
            string raw = Raw(key);
            return allowed.Contains(raw) ? raw : throw Invalid(key, raw, string.Join(" or ", allowed));
        }

        public double Fraction(string key, double min, double max)
        {
            string raw = Raw(key);
            if (!double.TryParse(raw, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out double value) || value < min || value > max)
            {
                throw Invalid(key, raw, $"a number from {min} to {max}");
            }

            return value;
        }

        /// <summary>A node index, or null for auto.</summary>
        public int? Node(string key) => Raw(key) == "auto" ? null : (int)Integer(key, 0, 1023);

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

        public ScenarioException Invalid(string key, string raw, string expected) =>
            new($"{file}: {Describe(key)} = {ScenarioText.Show(raw)}: expected {expected}");
    }
}
