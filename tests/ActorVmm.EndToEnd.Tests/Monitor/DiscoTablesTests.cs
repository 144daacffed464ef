using ActorVmm.Host.Reports;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// Disco's Figure 5 and Table 2 forms, three ways (native, the unmodified kernel, the
/// paravirtual kernel with Disco's L2 TLB), as hocon/scenarios/disco-workloads.conf prints
/// them, on shorter workloads: every VM matches its native run, the paravirtual column is the
/// cheaper one, and the tables are the same run after run (simulated time only).
/// </summary>
public sealed class DiscoTablesTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    [Fact]
    public void The_three_way_tables_are_reproducible_and_the_paravirtual_kernel_is_cheaper()
    {
        string[] workloads = ["run=pmake:4:6", "run=engineering:768:1", "run=raytrace:64:24"];
        string vms = string.Join("\n", workloads.Select((w, i) => $$"""{ name = "w{{i}}", cmdline = "{{w}}" }""")
            .Concat(workloads.Select((w, i) => $$"""{ name = "w{{i}}-pv", cmdline = "{{w}}", kernel = "{{guests.PvKernelFile}}", l2-tlb = disco }""")));

        string Tables(out RunReportModel report)
        {
            var run = guests.Run(vms, physicalCpus: 6);
            report = RunReportBuilder.Build(run.Result, NativeBaseline.Run(run.Result.Settings));
            return DiscoTables.Format(report);
        }

        string first = Tables(out var report);
        string second = Tables(out _);

        output.WriteLine(first);
        Assert.Equal(first, second);
        Assert.DoesNotContain("WARNING", first);
        Assert.Contains("unmodified, exact L2", first);
        Assert.Contains("paravirtual, disco L2", first);
        Assert.Contains("fast TLB refill (done by the L2 TLB)", first);
        Assert.All(report.Vms, vm => Assert.True(vm.Native!.ConsoleMatches, $"{vm.Name}: console differs from its native run"));
        for (int i = 0; i < workloads.Length; i++)
        {
            var unmodified = report.Vms.Single(v => v.Name == $"w{i}");
            var paravirtual = report.Vms.Single(v => v.Name == $"w{i}-pv");
            Assert.True(paravirtual.Cycles.Virtualized < unmodified.Cycles.Virtualized, $"{workloads[i]}: {paravirtual.Cycles.Virtualized} >= {unmodified.Cycles.Virtualized}");
        }
    }
}
