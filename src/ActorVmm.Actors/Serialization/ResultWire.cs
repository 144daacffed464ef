namespace ActorVmm.Actors.Serialization;

/// <summary>The wire form of a run's result: the scenario, each VM's end and counters, each physical CPU's, the memory.</summary>
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
        });
        w.List(m.PhysicalCpus, static (w, p) => w.PhysicalCpu(p));
        w.Usage(m.Memory);
        w.I64(m.Epochs);
        w.I64(m.WallTime.Ticks);
    }

    public static MonitorResult Result(this ref WireReader r) => new(
        r.Scenario(),
        r.List(
            static (ref WireReader r) => new VmResult(
                r.I32(), r.String(), r.Outcome(), r.String(), r.Optional(static (ref WireReader r) => r.Statistics()), r.NullableString(), r.I64()),
            31),
        r.List(static (ref WireReader r) => r.PhysicalCpu(), 52),
        r.Usage(),
        r.I64(),
        TimeSpan.FromTicks(r.I64()));
}
