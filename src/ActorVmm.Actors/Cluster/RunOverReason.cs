using Akka.Actor;

namespace ActorVmm.Actors;

/// <summary>Why a node shuts down when the driver ends a run: nothing is left to hand over.</summary>
public sealed class RunOverReason : CoordinatedShutdown.Reason
{
    public static readonly RunOverReason Instance = new();

    private RunOverReason()
    {
    }

    public override int ExitCode => 0;
}
