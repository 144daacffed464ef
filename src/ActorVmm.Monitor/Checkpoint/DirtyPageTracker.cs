using System.Collections.Immutable;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>
/// The guest pages a vCPU has written since the VM's last checkpoint, found the way hardware
/// finds them: once tracking is on, a page that is not yet dirty is installed in the machine
/// TLB without D, so the guest's first store to it takes a TLB Modified exception in the
/// monitor, which notes the page and installs it writable (<see cref="L2Tlb"/>). After a
/// checkpoint the machine TLB's D bits are cleared again. An incremental checkpoint stores
/// exactly these pages; no page is compared or hashed to find them.
/// </summary>
public sealed class DirtyPageTracker
{
    private readonly ulong[] _dirty;
    private readonly uint _pages;
    private int _count;

    public DirtyPageTracker(uint vmPages)
    {
        _pages = vmPages;
        _dirty = new ulong[(vmPages + 63) / 64];
    }

    /// <summary>Off until the VM's first checkpoint, which stores every page: before it nothing needs tracking.</summary>
    public bool Tracking { get; private set; }

    /// <summary>Pages written since the last checkpoint.</summary>
    public int Count => _count;

    /// <summary>Whether a machine entry for <paramref name="ppn"/> may be writable (when the guest's own entry is).</summary>
    public bool MayWrite(Ppn ppn) => !Tracking || IsDirty(ppn);

    public bool IsDirty(Ppn ppn) => ppn.Value < _pages && (_dirty[ppn.Value >> 6] & (1UL << (int)(ppn.Value & 63))) != 0;

    /// <summary>The guest stores to <paramref name="ppn"/>: from now on it is part of the next checkpoint.</summary>
    public void Written(Ppn ppn)
    {
        if (!Tracking || ppn.Value >= _pages)
        {
            return;
        }

        ref ulong word = ref _dirty[ppn.Value >> 6];
        ulong bit = 1UL << (int)(ppn.Value & 63);
        if ((word & bit) == 0)
        {
            word |= bit;
            _count++;
        }
    }

    /// <summary>A checkpoint is taken: the pages written since the last one, in PPN order; tracking starts (again) from nothing.</summary>
    public ImmutableArray<Ppn> Take()
    {
        var pages = Dirty();
        Array.Clear(_dirty);
        _count = 0;
        Tracking = true;
        return pages;
    }

    public DirtyPages Capture() => new(Tracking, [.. Dirty().Select(p => p.Value)]);

    public void Restore(DirtyPages state)
    {
        Array.Clear(_dirty);
        _count = 0;
        Tracking = true;
        foreach (uint ppn in state.Pages)
        {
            Written(new Ppn(ppn));
        }

        Tracking = state.Tracking;
    }

    private ImmutableArray<Ppn> Dirty()
    {
        var pages = ImmutableArray.CreateBuilder<Ppn>(_count);
        for (int w = 0; w < _dirty.Length; w++)
        {
            ulong word = _dirty[w];
            while (word != 0)
            {
                int bit = System.Numerics.BitOperations.TrailingZeroCount(word);
                pages.Add(new Ppn((uint)((w << 6) + bit)));
                word &= word - 1;
            }
        }

        return pages.MoveToImmutable();
    }
}
