using ActorVmm.Actors.Configuration;

namespace ActorVmm.Actors.Serialization;

/// <summary>The wire form of a scenario: every section of <see cref="MonitorSettings"/>, and a VM's own settings.</summary>
internal static class SettingsWire
{
    public static void Vm(this WireWriter w, VmSettings v)
    {
        w.I32(v.Id);
        w.String(v.Name);
        w.String(v.KernelPath);
        w.U32(v.MemoryBytes);
        w.String(v.CommandLine);
        w.I64(v.MaxInstructions);
        w.Bool(v.Node.HasValue);
        if (v.Node is { } node)
        {
            w.I32(node);
        }

        w.Enum(v.L2Tlb.Mode);
        w.I32(v.L2Tlb.Entries);
    }

    public static VmSettings Vm(this ref WireReader r) =>
        new(r.I32(), r.String(), r.String(), r.U32(), r.String(), r.I64(), r.Bool() ? r.I32() : null)
        {
            L2Tlb = new Monitor.L2TlbSettings(r.Enum<Monitor.L2TlbMode>(), r.I32()),
        };

    public static void Scenario(this WireWriter w, MonitorSettings s)
    {
        w.String(s.ScenarioName);
        w.I32(s.Machine.PhysicalCpus);
        w.U64(s.Machine.MemoryBytes);
        w.I32(s.Machine.TlbEntries);
        w.I64(s.Scheduler.Quantum);
        w.I64(s.Scheduler.Epoch);
        w.Bool(s.Scheduler.LoadBalancing);
        w.Bool(s.Scheduler.Affinity);
        w.List(s.Vms, static (w, vm) => w.Vm(vm));
        w.Bool(s.Trace.Enabled);
        w.String(s.Trace.File);
        w.I32(s.Trace.StampEvery);
        w.String(s.Output.Directory);
        w.Bool(s.Output.Console);
        w.Enum(s.Output.Progress);
        w.Bool(s.Output.JsonReport);
        w.Bool(s.Report.CompareNative);
        w.Bool(s.Report.Plots);
        w.Costs(s.Costs);
        w.I32(s.Cluster.NodePhysicalCpus);
        w.U64(s.Cluster.NodeMemoryBytes);
        w.Bool(s.Cluster.Migration.Balance);
        w.F64(s.Cluster.Migration.Threshold);
        w.I32(s.Cluster.Migration.MaxPerEpoch);
        w.I32(s.Cluster.Migration.SettleEpochs);
        w.I64(s.Checkpoint.Every);
        w.Enum(s.Checkpoint.Store);
        w.String(s.Checkpoint.Connection);
        w.Bool(s.Checkpoint.Resume);
        w.I32(s.Checkpoint.Restore);
        w.Sharing(s.Sharing);
    }

    public static MonitorSettings Scenario(this ref WireReader r) => new(
        r.String(),
        new MachineSettings(r.I32(), r.U64(), r.I32()),
        new SchedulerSettings(r.I64(), r.I64(), r.Bool(), r.Bool()),
        r.List(static (ref WireReader r) => r.Vm(), 29),
        new TraceSettings(r.Bool(), r.String(), r.I32()),
        new OutputSettings(r.String(), r.Bool(), r.Enum<ProgressMode>(), r.Bool()),
        new ReportSettings(r.Bool(), r.Bool()),
        r.Costs(),
        new ClusterSettings(r.I32(), r.U64(), new MigrationSettings(r.Bool(), r.F64(), r.I32(), r.I32())),
        new CheckpointSettings(r.I64(), r.Enum<CheckpointStoreKind>(), r.String(), r.Bool(), r.I32()))
    {
        Sharing = r.Sharing(),
    };
}
