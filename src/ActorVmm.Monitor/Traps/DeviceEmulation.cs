using ActorVmm.Cpu.Board;

namespace ActorVmm.Monitor;

/// <summary>A trapped device-page access performed on the VM's device registers.</summary>
public static class DeviceEmulation
{
    public static DeviceDone Perform(DeviceRegisters devices, DeviceAccess access)
    {
        var insn = access.Instruction;
        if (!insn.IsStore && (access.Offset & ~3u) == ParavirtualAbi.SysMonitorOffset)
        {
            // The one register the bare board does not have (it reads 0 there): a
            // paravirtual kernel asks it whether a monitor that speaks its ABI is present.
            return new DeviceDone(insn.Rt, insn.Extend(ParavirtualAbi.Magic), false, 0);
        }

        if (insn.IsStore)
        {
            bool off = devices.Write(access.Offset, access.StoreValue);
            return new DeviceDone(0, 0, off, devices.ExitStatus);
        }

        return new DeviceDone(insn.Rt, insn.Extend(devices.Read(access.Offset)), false, 0);
    }
}
