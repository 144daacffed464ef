using System.Diagnostics;

namespace ActorVmm.Host.Progress;

/// <summary>This process's memory and garbage collections at one moment, with the peaks seen so far.</summary>
/// <param name="GcHeapBytes">Managed heap in use (GC.GetTotalMemory without collecting).</param>
public sealed record HostSample(long WorkingSetBytes, long PeakWorkingSetBytes, long GcHeapBytes, long PeakGcHeapBytes, int Gen0, int Gen1, int Gen2)
{
    public override string ToString() =>
        $"working set {WorkingSetBytes / 1e6:N0} MB (peak {PeakWorkingSetBytes / 1e6:N0} MB), GC heap {GcHeapBytes / 1e6:N0} MB (peak {PeakGcHeapBytes / 1e6:N0} MB), GCs {Gen0}/{Gen1}/{Gen2}";
}

/// <summary>
/// Samples the host side of a run for the display: a fleet's limit is host memory, so the
/// display shows it. The working-set peak is the kernel's (VmHWM); the GC-heap peak is the
/// largest of the samples, taken at the display's refresh rate.
/// </summary>
public sealed class HostMeter
{
    private readonly Process _process = Process.GetCurrentProcess();
    private long _peakGcHeap;

    public HostSample Sample()
    {
        _process.Refresh();
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        _peakGcHeap = Math.Max(_peakGcHeap, heap);
        return new HostSample(_process.WorkingSet64, _process.PeakWorkingSet64, heap, _peakGcHeap,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }
}
