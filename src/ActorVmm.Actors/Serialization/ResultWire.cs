using ActorVmm.Memory;

namespace ActorVmm.Actors.Serialization;

/// <summary>
/// The wire form of a run's result: the scenario, each VM's end, counters and nodes, each
/// physical CPU's, each node's and every migration, the memory.
/// </summary>
internal static class ResultWire
{
    public static void Result(this WireWriter w, MonitorResult m)
    {
        w.Scenario(m.Settings);
        w.List(m.Vms, static (w, v) =>
        {
            w.I32(v.Id);
            w.String(v.Name);
            w.Outcome(v.Outcome);
            w.String(v.Console);
            w.Optional(v.Statistics, static (w, s) => w.Statistics(s));
            w.String(v.FailureReason);
            w.I64(v.FinishedAt);
            w.Optional(v.Placements, static (w, ps) => w.List(ps, static (w, p) =>
            {
                w.I64(p.Epoch);
                w.I64(p.Cycle);
                w.String(p.Node);
            }));
            w.I64(v.AdmittedAt);
        });
        w.List(m.PhysicalCpus, static (w, p) => w.PhysicalCpu(p));
        w.Usage(m.Memory);
        w.I64(m.Epochs);
        w.I64(m.WallTime.Ticks);
        w.Optional(m.Nodes, static (w, nodes) => w.List(nodes, static (w, n) =>
        {
            w.String(n.Name);
            w.List(n.PhysicalCpus, static (w, p) => w.I32(p));
            w.List(n.VmsHosted, static (w, v) => w.I32(v));
            w.I32(n.MigrationsIn);
            w.I32(n.MigrationsOut);
            w.I64(n.PagesIn);
            w.I64(n.PagesOut);
            w.Usage(n.Memory);
        }));
        w.Optional(m.Migrations, static (w, migrations) => w.List(migrations, static (w, g) =>
        {
            w.I32(g.Vm);
            w.String(g.Name);
            w.String(g.From);
            w.String(g.To);
            w.I64(g.Epoch);
            w.I64(g.Cycle);
            w.I32(g.Pages);
            w.I64(g.Bytes);
            w.F64(g.WallMilliseconds);
        }));
    }

    public static MonitorResult Result(this ref WireReader r) => new(
        r.Scenario(),
        r.List(
            static (ref WireReader r) => new VmResult(
                r.I32(), r.String(), r.Outcome(), r.String(), r.Optional(static (ref WireReader r) => r.Statistics()), r.NullableString(), r.I64(),
                r.Optional(static (ref WireReader r) => r.List(static (ref WireReader r) => new VmPlacement(r.I64(), r.I64(), r.String()), 20)), r.I64()),
            40),
        r.List(static (ref WireReader r) => r.PhysicalCpu(), 52),
        r.Usage(),
        r.I64(),
        TimeSpan.FromTicks(r.I64()),
        r.Optional(static (ref WireReader r) => r.List(static (ref WireReader r) => new NodeResult(
            r.String(),
            r.List(static (ref WireReader r) => r.I32(), 4),
            r.List(static (ref WireReader r) => r.I32(), 4),
            r.I32(), r.I32(), r.I64(), r.I64(), r.Usage()), 40)),
        r.Optional(static (ref WireReader r) => r.List(static (ref WireReader r) => new MigrationRecord(
            r.I32(), r.String(), r.String(), r.String(), r.I64(), r.I64(), r.I32(), r.I64(), r.F64()), 60)));
}
