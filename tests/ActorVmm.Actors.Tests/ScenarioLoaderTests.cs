using ActorVmm.Actors.Configuration;
using ActorVmm.Monitor;
using Xunit;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// Reading scenarios: the embedded one loads, defaults come from the reference
/// configuration, unknown keys and bad values are refused with a message that names the
/// file and the full key, and costs reach the CostModel.
/// </summary>
public sealed class ScenarioLoaderTests
{
    private const string File = "test.conf";
    private const string OneVm = "actorvmm.vms = [{ name = \"only\" }]\n";

    [Fact]
    public void The_embedded_two_guests_scenario_loads()
    {
        var settings = ScenarioLoader.Load(ScenarioLoader.DefaultScenarioText, "two-guests.conf");

        Assert.Equal("two-guests.conf", settings.ScenarioName);
        Assert.Equal(2, settings.Machine.PhysicalCpus);
        Assert.Equal(
            [
                new VmSettings(1, "pmake", "guests/bin/kernel.elf", 16u << 20, "run=pmake", 0),
                new VmSettings(2, "raytrace", "guests/bin/kernel.elf", 16u << 20, "run=raytrace", 0),
            ],
            settings.Vms);
    }

    [Fact]
    public void Defaults_come_from_the_reference_configuration()
    {
        var settings = ScenarioLoader.Load(OneVm, File);

        Assert.Equal(new MachineSettings(2, 512UL << 20, 64), settings.Machine);
        Assert.Equal(new SchedulerSettings(200_000, 2_000_000, true, true), settings.Scheduler);
        Assert.Equal(new VmSettings(1, "only", "guests/bin/kernel.elf", 16u << 20, "", 0), Assert.Single(settings.Vms));
        Assert.Equal(new TraceSettings(true, "trace.avtrace"), settings.Trace);
        Assert.Equal(("out", true), (settings.Output.Directory, settings.Output.Console));
    }

    [Fact]
    public void Checkpoints_are_off_by_default_and_a_postgresql_store_takes_its_connection_string()
    {
        Assert.Equal(new CheckpointSettings(0, CheckpointStoreKind.Sqlite, "", false), ScenarioLoader.Load(OneVm, File).Checkpoint);
        var settings = ScenarioLoader.Load(OneVm + """actorvmm.checkpoint { every = 4000000, store = postgresql, connection = "Host=db;Username=u" }""", File);
        Assert.Equal(new CheckpointSettings(4_000_000, CheckpointStoreKind.PostgreSql, "Host=db;Username=u", false), settings.Checkpoint);
        Assert.True(settings.Checkpoint.Taking);
    }

    [Fact]
    public void The_reference_costs_are_the_cost_models_defaults()
    {
        Assert.Equal(CostModel.Default, ScenarioLoader.Load(OneVm, File).Costs);
    }

    [Fact]
    public void Vm_entries_override_vm_defaults_and_get_ids_and_names_in_order()
    {
        var settings = ScenarioLoader.Load("""
            actorvmm {
              vm-defaults { memory = 8M, cmdline = "run=compute" }
              vms = [
                { name = "a", memory = 3M, max-instructions = 1000000 }
                { cmdline = "run=sleeper idle=spin", kernel = "other.elf" }
              ]
            }
            """, File, resolveKernel: path => "/resolved/" + path);

        Assert.Equal(
            [
                new VmSettings(1, "a", "/resolved/guests/bin/kernel.elf", 3u << 20, "run=compute", 1_000_000),
                new VmSettings(2, "vm2", "/resolved/other.elf", 8u << 20, "run=sleeper idle=spin", 0),
            ],
            settings.Vms);
    }

    [Theory]
    [InlineData("1M", 1u << 20)]
    [InlineData("3M", 3u << 20)]
    [InlineData("1028K", 1028u << 10)]
    [InlineData("256M", 256u << 20)]
    public void Vm_memory_may_be_any_multiple_of_4K_from_1M_to_256M(string memory, uint bytes)
    {
        var settings = ScenarioLoader.Load($"actorvmm.vms = [{{ name = a, memory = {memory} }}]", File);
        Assert.Equal(bytes, Assert.Single(settings.Vms).MemoryBytes);
    }

    [Fact]
    public void Costs_are_read_into_the_cost_model_each_to_its_own_field()
    {
        string[] keys =
        [
            "guest-instruction", "trap-entry-exit", "reflection", "mfc0", "mtc0", "tlbp", "tlbr", "tlb-write", "eret", "wait",
            "di-ei", "cache", "tlb-write-interception", "l2-tlb-refill", "mpn-allocation", "machine-switch", "tlb-flush", "device-emulation",
        ];
        string costs = string.Join("\n", keys.Select((k, i) => $"actorvmm.costs.{k} = {i + 2}"));

        var c = ScenarioLoader.Load(OneVm + costs, File).Costs;

        Assert.Equal(
            new CostModel
            {
                GuestInstruction = 2, TrapEntryExit = 3, Reflection = 4, Mfc0 = 5, Mtc0 = 6, Tlbp = 7, Tlbr = 8, TlbWrite = 9, Eret = 10, Wait = 11,
                InterruptEnable = 12, Cache = 13, TlbWriteInterception = 14, L2TlbRefill = 15, MpnAllocation = 16, MachineSwitch = 17, TlbFlush = 18, DeviceEmulation = 19,
            },
            c);
    }

    [Theory]
    [InlineData("actorvmm.machine.phyiscal-cpus = 4", "unknown key actorvmm.machine.phyiscal-cpus (did you mean actorvmm.machine.physical-cpus?)")]
    [InlineData("actorvmm { machine { phyiscal-cpus = 4 } }", "unknown key actorvmm.machine.phyiscal-cpus (did you mean actorvmm.machine.physical-cpus?)")]
    [InlineData("actorvmm.scheduler.quantun = 5000", "unknown key actorvmm.scheduler.quantun (did you mean actorvmm.scheduler.quantum?)")]
    [InlineData("actorvmm.vm-defaults.memroy = 8M", "unknown key actorvmm.vm-defaults.memroy (did you mean actorvmm.vm-defaults.memory?)")]
    [InlineData("actorvmm.costs.syscall = 5", "unknown key actorvmm.costs.syscall")]
    public void An_unknown_key_is_refused_naming_the_full_key_and_the_likely_one(string line, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(OneVm + line, File));
        Assert.Equal($"{File}: {expected}", e.Message);
    }

    [Fact]
    public void An_unknown_key_inside_a_vms_entry_is_refused_naming_the_entry()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("""
            actorvmm.vms = [
              { name = "a" }
              { name = "b", memroy = 8M }
            ]
            """, File));

        Assert.Equal($"{File}: unknown key actorvmm.vms[1].memroy (did you mean memory?)", e.Message);
    }

    [Theory]
    [InlineData("actorvmm.machine.physical-cpus = 0", "actorvmm.machine.physical-cpus = 0: expected an integer from 1 to 64")]
    [InlineData("actorvmm.machine.physical-cpus = 65", "actorvmm.machine.physical-cpus = 65: expected an integer from 1 to 64")]
    [InlineData("actorvmm.machine.physical-cpus = two", "actorvmm.machine.physical-cpus = two: expected an integer from 1 to 64")]
    [InlineData("actorvmm.machine.tlb-entries = 65", "actorvmm.machine.tlb-entries = 65: expected an integer from 1 to 64")]
    [InlineData("actorvmm.machine.memory = 512K", "actorvmm.machine.memory = 512K")]
    [InlineData("actorvmm.scheduler.quantum = 999", "actorvmm.scheduler.quantum = 999: expected an integer from 1000")]
    [InlineData("actorvmm.scheduler.affinity = maybe", "actorvmm.scheduler.affinity = maybe: expected on or off")]
    [InlineData("actorvmm.trace.enabled = 1", "actorvmm.trace.enabled = 1: expected on or off")]
    [InlineData("actorvmm.costs.mtc0 = -1", "actorvmm.costs.mtc0 = -1: expected an integer from 0 to 1000000")]
    [InlineData("actorvmm.costs.guest-instruction = 0", "actorvmm.costs.guest-instruction = 0: expected an integer from 1 to 1000")]
    [InlineData("actorvmm.checkpoint.every = -1", "actorvmm.checkpoint.every = -1: expected an integer from 0")]
    [InlineData("actorvmm.checkpoint.store = mysql", "actorvmm.checkpoint.store = mysql: expected sqlite or postgresql")]
    [InlineData("actorvmm.checkpoint { every = 1000000, store = postgresql }", "actorvmm.checkpoint.connection = \"\": expected a connection string (a postgresql store needs one)")]
    [InlineData("actorvmm.monitor.l2-tlb = large", "actorvmm.monitor.l2-tlb = large: expected exact or disco")]
    [InlineData("actorvmm.monitor.l2-tlb-entries = 1000", "actorvmm.monitor.l2-tlb-entries = 1000: expected a power of two")]
    [InlineData("actorvmm.monitor.page-sharing.images = yes please", "actorvmm.monitor.page-sharing.images = \"yes please\": expected on or off")]
    [InlineData("actorvmm.monitor.page-sharing.scan-rate = 0", "actorvmm.monitor.page-sharing.scan-rate = 0: expected an integer from 1")]
    public void An_invalid_value_is_refused_naming_the_key_and_what_is_allowed(string line, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(OneVm + line, File));
        Assert.StartsWith($"{File}: {expected}", e.Message);
    }

    [Theory]
    [InlineData("memory = 512K", "actorvmm.vms[0].memory = 512K: expected a size from 1M to 256M")]
    [InlineData("memory = 257M", "actorvmm.vms[0].memory = 257M: expected a size from 1M to 256M")]
    [InlineData("memory = 1026K", "actorvmm.vms[0].memory must be a multiple of 4K")]
    [InlineData("max-instructions = -5", "actorvmm.vms[0].max-instructions = -5: expected an integer from 0")]
    [InlineData("l2-tlb = exactly", "actorvmm.vms[0].l2-tlb = exactly: expected exact or disco")]
    public void An_invalid_value_in_a_vms_entry_is_refused_naming_the_entry_and_key(string setting, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load($"actorvmm.vms = [{{ name = a, {setting} }}]", File));
        Assert.StartsWith($"{File}: {expected}", e.Message);
    }

    [Fact]
    public void Disco_techniques_are_off_by_default_and_a_vm_may_choose_its_own_l2_tlb()
    {
        var defaults = ScenarioLoader.Load(OneVm, File);
        Assert.Equal(L2TlbSettings.Exact, Assert.Single(defaults.Vms).L2Tlb);
        Assert.Equal(Memory.PageSharingSettings.Off with { ScanRate = 1024 }, defaults.Sharing);

        var settings = ScenarioLoader.Load("""
            actorvmm {
              monitor { l2-tlb = disco, l2-tlb-entries = 256, page-sharing { images = on, content = on, scan-rate = 64 } }
              vms = [
                { name = "a" }
                { name = "b", l2-tlb = exact }
              ]
            }
            """, File);

        Assert.Equal([new L2TlbSettings(L2TlbMode.Disco, 256), new L2TlbSettings(L2TlbMode.Exact, 256)], settings.Vms.Select(v => v.L2Tlb));
        Assert.Equal(new Memory.PageSharingSettings(true, true, 64), settings.Sharing);
    }

    [Fact]
    public void An_invalid_vm_default_is_refused_naming_the_key_that_was_written()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(OneVm + "actorvmm.vm-defaults.memory = 512K", File));
        Assert.Contains("actorvmm.vm-defaults.memory", e.Message);
    }

    [Fact]
    public void An_epoch_shorter_than_the_quantum_is_refused_naming_both()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(OneVm + "actorvmm.scheduler { quantum = 50000, epoch = 40000 }", File));
        Assert.Equal($"{File}: actorvmm.scheduler.epoch (40000) must be at least actorvmm.scheduler.quantum (50000)", e.Message);
    }

    [Fact]
    public void Two_vms_with_the_same_name_are_refused()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("actorvmm.vms = [{ name = a }, { name = b }, { name = a }]", File));
        Assert.Equal($"{File}: actorvmm.vms[2].name \"a\" is used by two VMs", e.Message);
    }

    [Fact]
    public void A_default_name_clashing_with_an_explicit_one_is_refused_too()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("actorvmm.vms = [{ name = vm2 }, { cmdline = \"x\" }]", File));
        Assert.Contains("actorvmm.vms[1].name \"vm2\"", e.Message);
    }

    [Theory]
    [InlineData("actorvmm.vms = []")]
    [InlineData("actorvmm.machine.physical-cpus = 1")]
    public void A_scenario_without_vms_is_refused(string hocon)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(hocon, File));
        Assert.Equal($"{File}: actorvmm.vms is empty: a scenario needs at least one VM", e.Message);
    }

    [Fact]
    public void A_vms_entry_that_is_not_an_object_is_refused()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("actorvmm.vms = [\"pmake\"]", File));
        Assert.StartsWith($"{File}: actorvmm.vms[0] must be an object", e.Message);
    }

    [Fact]
    public void Text_that_is_not_hocon_is_refused_naming_the_file()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("actorvmm { machine = [ }", File));
        Assert.StartsWith($"{File}: not valid HOCON", e.Message);
    }

    [Fact]
    public void A_scenario_file_that_cannot_be_read_is_refused_naming_it()
    {
        string path = Path.Combine(Path.GetTempPath(), $"no-such-scenario-{Guid.NewGuid():N}.conf");
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));
        Assert.StartsWith($"cannot read scenario {path}", e.Message);
    }

    // Issue 10: hostile scenarios. Akka's HOCON parser overflows its stack (uncatchable: the
    // process dies), loops forever allocating, or throws stack traces on these; each must end
    // in one line that names the key and the problem.
    [Theory]
    [InlineData("a = ${b}\nb = ${a}\n", "line 1: a = ${b}: substitutions are not supported in a scenario; write the value itself")]
    [InlineData("a = ${a}\n", "line 1: a = ${a}: substitutions are not supported in a scenario; write the value itself")]
    [InlineData("a = ${?a}\n", "line 1: a = ${?a}: substitutions are not supported in a scenario; write the value itself")]
    [InlineData("actorvmm { vms = [{name = ${?NOPE}}] }\n", "line 1: actorvmm.vms[0].name = ${?NOPE}: substitutions are not supported in a scenario; write the value itself")]
    [InlineData("actorvmm.vms = [{ name = a }]\nactorvmm.trace.file = x ${y}\n", "line 2: actorvmm.trace.file = ${y}: substitutions are not supported in a scenario; write the value itself")]
    public void A_substitution_is_refused_before_akka_can_overflow_its_stack_on_it(string hocon, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(hocon, File));
        Assert.Equal($"{File}: {expected}", e.Message);
    }

    [Theory]
    [InlineData("include \"/etc/passwd\"\n" + OneVm)]
    [InlineData("actorvmm {\n  include file(\"x.conf\")\n}\n" + OneVm)]
    public void An_include_is_refused(string hocon)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(hocon, File));
        Assert.Matches($@"^{File}: line \d: include is not supported: a scenario is one file, over the reference configuration$", e.Message);
    }

    [Theory]
    [InlineData("actorvmm.vms = [ ? ]", "line 1: actorvmm.vms[0] = '?': expected a value")]
    [InlineData("actorvmm.vms = [ { name = a } = ]", "line 1: actorvmm.vms[0]: unexpected '=' in the value; quote text that contains '=' or ':'")]
    [InlineData("actorvmm.vms = [ { name = a }, , { name = b } ]", "line 1: actorvmm.vms[1] is empty (two ',' in a row or a ',' first)")]
    [InlineData("actorvmm.vms = [{ name = a }]\nactorvmm.output.directory = out ?", "line 2: actorvmm.output.directory: unexpected '?' after the value")]
    [InlineData("actorvmm.vms = [{ name = a }]\nactorvmm.output.directory =", "line 2: actorvmm.output.directory has no value")]
    [InlineData("actorvmm.vms = [{ name = a }]\nactorvmm.output.directory = \"a\\qb\"", "line 2: unknown escape \\q in a string (known: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")]
    [InlineData("actorvmm.vms = [{ name = a }]\nactorvmm.machine.memory += 1M", "line 2: actorvmm.machine.memory += ...: appending is not supported; write the whole value")]
    [InlineData("actorvmm.vms = [{ name = a }]\n\"actorvmm.machine\".memory = 1M", "line 2: the key \"\\\"actorvmm.machine\\\"\" is not letters, digits, '-' and '_'")]
    [InlineData("actorvmm.vms = [{ name = a }] [{ name = b }]", "line 1: actorvmm.vms: a list and a list on one line; separate them with a comma or a newline")]
    [InlineData("actorvmm.vms = [{ name = a } { name = b }]", "line 1: actorvmm.vms[0]: two objects on one line ('} {') are merged into one by HOCON; separate them with a comma or a newline")]
    [InlineData("actorvmm.vms = [{ name = a }]\nactorvmm.trace.file = a\u0000b", "line 2: unexpected character U+0000 (outside a quoted string)")]
    [InlineData("actorvmm.costs { mtc0 = 5 }, actorvmm.vms = [{ name = a }]", "line 1: a ',' after actorvmm.costs { ... } is refused by Akka's parser; end the line there, or write actorvmm.costs = { ... },")]
    public void Text_akkas_parser_would_loop_on_or_misread_is_refused_with_its_line_and_key(string hocon, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(hocon, File));
        Assert.Equal($"{File}: {expected}", e.Message);
    }

    [Fact]
    public void A_comment_mark_as_the_last_character_is_a_comment()
    {
        // Akka's tokenizer fails on it with "Unknown token at position 29", naming no line.
        Assert.Single(ScenarioLoader.Load(OneVm + "#", File).Vms);
    }

    [Fact]
    public void Nesting_deeper_than_akka_can_safely_recurse_is_refused()
    {
        string deep = "a = " + new string('[', 5000) + new string(']', 5000);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(deep, File));
        Assert.Equal($"{File}: line 1: a{string.Concat(Enumerable.Repeat("[0]", ScenarioSyntax.MaximumDepth - 1))} is nested more than {ScenarioSyntax.MaximumDepth} levels deep", e.Message);

        string dotted = string.Join('.', Enumerable.Repeat("a", 5000)) + " = 1";
        e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(dotted, File));
        Assert.EndsWith($"is nested more than {ScenarioSyntax.MaximumDepth} levels deep", e.Message);
    }

    [Fact]
    public void A_huge_key_or_a_value_of_a_million_words_is_refused_without_being_parsed()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(OneVm + "actorvmm." + new string('x', 1 << 20) + " = 1", File));
        Assert.Equal($"{File}: line 2: a key in actorvmm of 1,048,576 characters (xxxxxxxxxxxxxxxxxxxx...): keys are at most 64", e.Message);

        e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(OneVm + "actorvmm.output.directory = " + string.Concat(Enumerable.Repeat("x ", 1 << 20)), File));
        Assert.Equal($"{File}: line 2: actorvmm.output.directory joins more than 256 words and strings; quote the value", e.Message);
    }

    [Theory]
    [InlineData("actorvmm.vms = [{ name = { x = 1 } }]", "actorvmm.vms[0].name must be a single value, not an object")]
    [InlineData("actorvmm.vms = [{ name = a, memory = [16M] }]", "actorvmm.vms[0].memory must be a single value, not a list")]
    [InlineData("actorvmm.vms = \"lots\"", "actorvmm.vms must be a list of VMs such as [{ name = \"a\", cmdline = \"run=pmake\" }], not text (lots)")]
    [InlineData("actorvmm.vms = { name = a }", "actorvmm.vms must be a list of VMs such as [{ name = \"a\", cmdline = \"run=pmake\" }], not an object")]
    [InlineData(OneVm + "actorvmm.machine = 4", "actorvmm.machine must be a section { physical-cpus, memory, tlb-entries }, not text (4)")]
    [InlineData("actorvmm = [1]", "actorvmm must be a section { machine, scheduler, monitor, ... }, not a list")]
    [InlineData(OneVm + "actorvmm = [1]", "actorvmm is set to an object and to a list or text at once; set it once")]
    [InlineData(OneVm + "actorvmm.costs.mtc0 { a = 1 }", "actorvmm.costs.mtc0 must be a single value, not an object")]
    public void A_value_of_the_wrong_shape_is_refused_naming_the_key(string hocon, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(hocon, File));
        Assert.Equal($"{File}: {expected}", e.Message);
    }

    [Theory]
    [InlineData("kernel = \"a\\u0000b\"", "actorvmm.vms[0].kernel = \"a\\u0000b\": expected a path (at most 4096 characters, no control characters)")]
    [InlineData("kernel = \"\"", "actorvmm.vms[0].kernel is empty: expected a path")]
    [InlineData("name = \"a\\nb\"", "actorvmm.vms[0].name = \"a\\nb\": expected a name of 1 to 64 printable characters")]
    [InlineData("name = \"\"", "actorvmm.vms[0].name = \"\": expected a name of 1 to 64 printable characters")]
    [InlineData("cmdline = \"run=\\tpmake\"", "actorvmm.vms[0].cmdline = \"run=\\tpmake\": expected printable ASCII (the kernel command line)")]
    public void A_string_the_host_or_the_kernel_would_refuse_is_refused_naming_the_key(string setting, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load($"actorvmm.vms = [{{ name = a, {setting} }}]", File, resolveKernel: Path.GetFullPath));
        Assert.Equal($"{File}: {expected}", e.Message);
    }

    [Fact]
    public void A_command_line_longer_than_the_boot_contract_allows_is_blamed_on_cmdline_not_on_the_kernel()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load($"actorvmm.vms = [{{ name = a, cmdline = \"{new string('x', 1100)}\" }}]", File));
        Assert.Equal($"{File}: actorvmm.vms[0].cmdline is 1,100 characters: a kernel command line holds at most 1024", e.Message);
    }

    [Fact]
    public void Braces_inside_a_quoted_name_are_text_not_two_objects()
    {
        var vm = Assert.Single(ScenarioLoader.Load("actorvmm.vms = [{ name = \"a} {b\" }]", File).Vms);
        Assert.Equal("a} {b", vm.Name);
    }

    [Fact]
    public void A_size_that_overflows_is_refused_rather_than_wrapped_around()
    {
        // 17179869185 * 2^30 wraps around to exactly 1G in 64 bits.
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(OneVm + "actorvmm.machine.memory = 17179869185G", File));
        Assert.StartsWith($"{File}: actorvmm.machine.memory = 17179869185G: expected a size", e.Message);
    }

    [Fact]
    public void A_device_given_as_the_scenario_is_read_no_further_than_the_limit()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile("/dev/zero"));
        Assert.Equal($"cannot read scenario /dev/zero: it is larger than {ScenarioLoader.MaximumScenarioBytes >> 20} MB, far more than a scenario", e.Message);
    }
}
