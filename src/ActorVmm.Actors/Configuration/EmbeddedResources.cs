using System.Reflection;

namespace ActorVmm.Actors.Configuration;

/// <summary>The configuration files shipped inside the binary (hocon/), so that `actorvmm` works from anywhere.</summary>
public static class EmbeddedResources
{
    public static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
