using ActorVmm.Cpu.Board;

namespace ActorVmm.Monitor;

/// <summary>A trapped device-page access performed on the VM's device registers.</summary>
public static class DeviceEmulation
{
    public static DeviceDone Perform(DeviceRegisters devices, DeviceAccess access)
    {
        var insn = access.Instruction;
        if (insn.IsStore)
        {
            bool off = devices.Write(access.Offset, access.StoreValue);
            return new DeviceDone(0, 0, off, devices.ExitStatus);
        }

        return new DeviceDone(insn.Rt, insn.Extend(devices.Read(access.Offset)), false, 0);
    }
}
