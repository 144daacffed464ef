namespace ActorVmm.Cpu;

/// <summary>Who handles a guest exception.</summary>
public enum DeliveryMode : byte
{
    /// <summary>The core vectors the exception itself, as hardware does.</summary>
    Native,

    /// <summary>
    /// The core stops before changing any guest-visible state and reports the exception to
    /// its caller (the monitor, or the system-call shim of <c>exec</c>).
    /// </summary>
    Host,
}
