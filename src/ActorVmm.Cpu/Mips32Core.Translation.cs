using System.Runtime.CompilerServices;
using ActorVmm.Memory;

namespace ActorVmm.Cpu;

public sealed unsafe partial class Mips32Core
{
    private const uint Kseg0 = 0x80000000;
    private const uint Ksseg = 0xC0000000;
    private const uint Kseg3 = 0xE0000000;

    // The fault a slow path found; Execute turns it into a GuestException with the PC,
    // delay-slot flag and instruction word it holds in registers.
    private ExcCode _faultCode;
    private uint _faultAddress;
    private bool _faultRefill;
    private byte _faultUnit;

    /// <summary>
    /// Virtual to physical by the segment rules and the TLB. Returns false with the fault
    /// recorded; on success says whether the page may be written without a further check.
    /// </summary>
    private bool Translate(uint va, MemoryAccess access, out ulong pa, out bool writable)
    {
        if (Addressing == AddressingMode.FlatUser)
        {
            return TranslateFlat(va, access, out pa, out writable);
        }

        pa = 0;
        writable = false;
        if (va < Kseg0)
        {
            if ((Cp0.Status & StatusBits.ERL) != 0)
            {
                pa = va;
                writable = true;
                return true;
            }
        }
        else if (va < Ksseg)
        {
            if (_mode != PrivilegeMode.Kernel)
            {
                return AddressError(va, access);
            }

            pa = va & 0x1FFFFFFF;
            writable = true;
            return true;
        }
        else if (va < Kseg3 ? _mode == PrivilegeMode.User : _mode != PrivilegeMode.Kernel)
        {
            return AddressError(va, access);
        }

        int index = Tlb.Lookup(va, Cp0.Asid);
        if (index < 0)
        {
            return TlbFault(va, access, refill: true);
        }

        var entry = Tlb[index];
        uint lo = entry.EntryLoFor(va);
        if ((lo & EntryLoBits.V) == 0)
        {
            return TlbFault(va, access, refill: false);
        }

        writable = (lo & EntryLoBits.D) != 0;
        if (access == MemoryAccess.Store && !writable)
        {
            return Fault(ExcCode.Mod, va);
        }

        pa = entry.PhysicalAddress(va, lo);
        return true;
    }

    private bool TranslateFlat(uint va, MemoryAccess access, out ulong pa, out bool writable)
    {
        pa = va;
        writable = false;
        if (va >= Kseg0)
        {
            return AddressError(va, access);
        }

        // Legacy MIPS has no execute permission: whatever is readable can be fetched.
        var permission = (PagePermission)_flatPermissions![va >> MachinePage.Shift];
        if ((permission & PagePermission.Read) == 0)
        {
            return TlbFault(va, access, refill: true);
        }

        writable = (permission & PagePermission.Write) != 0;
        if (access == MemoryAccess.Store && !writable)
        {
            return Fault(ExcCode.Mod, va);
        }

        return true;
    }

    private bool AddressError(uint va, MemoryAccess access) =>
        Fault(access == MemoryAccess.Store ? ExcCode.AdES : ExcCode.AdEL, va);

    private bool TlbFault(uint va, MemoryAccess access, bool refill)
    {
        _faultUnit = 0;
        _faultRefill = refill;
        _faultCode = access == MemoryAccess.Store ? ExcCode.TlbS : ExcCode.TlbL;
        _faultAddress = va;
        return false;
    }

    private bool Fault(ExcCode code, uint va = 0, byte unit = 0)
    {
        _faultCode = code;
        _faultAddress = va;
        _faultRefill = false;
        _faultUnit = unit;
        return false;
    }

    private void CacheTranslation(uint va, ulong pa, bool writable)
    {
        byte* host = _ramBase + (pa & ~(ulong)MachinePage.OffsetMask);
        uint slot = (va >> MachinePage.Shift) & TcMask;
        uint tag = (va & ~MachinePage.OffsetMask) | _asid;
        _rdTag[slot] = tag;
        _rdHost[slot] = (nint)host;
        if (writable)
        {
            _wrTag[slot] = tag;
            _wrHost[slot] = (nint)host;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* ReadHost(uint va)
    {
        uint slot = (va >> MachinePage.Shift) & TcMask;
        return _rdTag[slot] == ((va & ~MachinePage.OffsetMask) | _asid)
            ? (byte*)_rdHost[slot] + (va & MachinePage.OffsetMask)
            : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* WriteHost(uint va)
    {
        uint slot = (va >> MachinePage.Shift) & TcMask;
        return _wrTag[slot] == ((va & ~MachinePage.OffsetMask) | _asid)
            ? (byte*)_wrHost[slot] + (va & MachinePage.OffsetMask)
            : null;
    }

    /// <summary>Translate, then find the host byte; null (with the fault recorded) if it faulted or is not RAM.</summary>
    private byte* SlowHost(uint va, MemoryAccess access, out ulong pa, out bool faulted)
    {
        faulted = !Translate(va, access, out pa, out bool writable);
        if (faulted || pa >= _ramSize)
        {
            return null;
        }

        CacheTranslation(va, pa, writable);
        return _ramBase + pa;
    }

    /// <summary>A load that missed the translation cache: RAM, a device, or a fault. Value zero-extended.</summary>
    private bool LoadSlow(uint va, int size, out uint value)
    {
        byte* host = SlowHost(va, MemoryAccess.Load, out ulong pa, out bool faulted);
        if (host != null)
        {
            value = size switch { 1 => *host, 2 => *(ushort*)host, _ => *(uint*)host };
            return true;
        }

        value = 0;
        if (faulted)
        {
            return false;
        }

        if (_devices is not null && _devices.Read(pa, size, out value))
        {
            return true;
        }

        return Fault(ExcCode.Dbe, va);
    }

    private bool StoreSlow(uint va, int size, uint value)
    {
        byte* host = SlowHost(va, MemoryAccess.Store, out ulong pa, out bool faulted);
        if (host != null)
        {
            switch (size)
            {
                case 1: *host = (byte)value; break;
                case 2: *(ushort*)host = (ushort)value; break;
                default: *(uint*)host = value; break;
            }

            return true;
        }

        if (faulted)
        {
            return false;
        }

        var response = _devices?.Write(pa, size, value) ?? BusWrite.Error;
        if (response != BusWrite.Error)
        {
            _stopRequested |= response == BusWrite.StopCpu;
            return true;
        }

        return Fault(ExcCode.Dbe, va);
    }

    private bool FetchSlow(uint pc)
    {
        if ((pc & 3) != 0)
        {
            return Fault(ExcCode.AdEL, pc);
        }

        if (!Translate(pc, MemoryAccess.Fetch, out ulong pa, out _))
        {
            return false;
        }

        if (pa >= _ramSize)
        {
            return Fault(ExcCode.Ibe, pc); // instructions are never fetched from devices
        }

        _fetchTag = pc & ~MachinePage.OffsetMask;
        _fetchHost = _ramBase + (pa & ~(ulong)MachinePage.OffsetMask);
        return true;
    }

    /// <summary>
    /// Read guest memory through the current translation, without side effects on the guest
    /// (no exception is raised): for debuggers, crash reports and system-call shims.
    /// </summary>
    public bool TryReadVirtual(uint va, Span<byte> destination)
    {
        var saved = (_faultCode, _faultAddress, _faultRefill, _faultUnit);
        try
        {
            for (int i = 0; i < destination.Length; i++)
            {
                uint a = va + (uint)i;
                if (!Translate(a, MemoryAccess.Load, out ulong pa, out _) || pa >= _ramSize)
                {
                    return false;
                }

                destination[i] = _ramBase[pa];
            }

            return true;
        }
        finally
        {
            (_faultCode, _faultAddress, _faultRefill, _faultUnit) = saved;
        }
    }

    /// <summary>Write guest memory through the current translation (stores by a system-call shim).</summary>
    public bool TryWriteVirtual(uint va, ReadOnlySpan<byte> source)
    {
        var saved = (_faultCode, _faultAddress, _faultRefill, _faultUnit);
        try
        {
            for (int i = 0; i < source.Length; i++)
            {
                uint a = va + (uint)i;
                if (!Translate(a, MemoryAccess.Store, out ulong pa, out _) || pa >= _ramSize)
                {
                    return false;
                }

                _ramBase[pa] = source[i];
            }

            return true;
        }
        finally
        {
            (_faultCode, _faultAddress, _faultRefill, _faultUnit) = saved;
        }
    }
}
