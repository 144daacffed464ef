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
    [InlineData("actorvmm.monitor.l2-tlb = large", "actorvmm.monitor.l2-tlb = large: expected exact or disco")]
    [InlineData("actorvmm.monitor.l2-tlb-entries = 1000", "actorvmm.monitor.l2-tlb-entries = 1000: expected a power of two")]
    [InlineData("actorvmm.monitor.page-sharing.images = yes please", "actorvmm.monitor.page-sharing.images = yes please: expected on or off")]
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
}
