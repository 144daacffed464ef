namespace ActorVmm.Monitor.Tracing;

/// <summary>How a trap's and a reflection's exception flags share one detail word.</summary>
internal static class ExceptionFlags
{
    public static uint Pack(bool delaySlot, bool refill, byte unit) => (delaySlot ? 1u : 0) | (refill ? 2u : 0) | ((uint)unit << 8);

    public static bool DelaySlot(uint word) => (word & 1) != 0;

    public static bool Refill(uint word) => (word & 2) != 0;

    public static byte Unit(uint word) => (byte)(word >> 8);
}
