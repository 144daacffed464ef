using System.Globalization;
using System.Text;
using ActorVmm.Actors.Configuration;
using Akka.Configuration;

namespace ActorVmm.Actors;

/// <summary>
/// The Akka configuration of a node: hocon/actorvmm-akka.conf (embedded), with one VM
/// dispatcher per host core (or as many as <c>actorvmm.node.vm-dispatchers</c> says), each a
/// copy of <c>actorvmm.node.vm-dispatcher</c>.
/// </summary>
public sealed class AkkaConfiguration
{
    private AkkaConfiguration(Config config, IReadOnlyList<string> vmDispatchers)
    {
        Config = config;
        VmDispatchers = vmDispatchers;
    }

    public Config Config { get; }

    /// <summary>The ids of the VM dispatchers, for <see cref="MonitorNode.OnVmDispatcher"/>.</summary>
    public IReadOnlyList<string> VmDispatchers { get; }

    public static string FileText => EmbeddedResources.Read("actorvmm-akka.conf");

    /// <summary>The cluster layer (hocon/actorvmm-cluster.conf), added for a node of a cluster.</summary>
    public static string ClusterFileText => EmbeddedResources.Read("actorvmm-cluster.conf");

    /// <param name="overrides">HOCON that takes precedence over the shipped files (a node's address, a test's settings).</param>
    /// <param name="cluster">Also the cluster layer: the node joins an Akka.Cluster.</param>
    public static AkkaConfiguration Load(string? overrides = null, bool cluster = false)
    {
        // Later text wins in HOCON: the shipped file, then the cluster layer, then the overrides.
        string text = FileText + "\n" + (cluster ? ClusterFileText : "") + "\n" + (overrides ?? "");
        var config = ConfigurationFactory.ParseString(text);
        int count = config.GetInt("actorvmm.node.vm-dispatchers", 0);
        if (count <= 0)
        {
            count = Math.Max(1, Environment.ProcessorCount);
        }

        var ids = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"actorvmm-vm-dispatcher-{i}")).ToArray();
        // Akka looks dispatchers up by top-level id: each one is the template under its own name.
        var dispatchers = new StringBuilder();
        foreach (string id in ids)
        {
            dispatchers.AppendLine(CultureInfo.InvariantCulture, $"{id} = ${{actorvmm.node.vm-dispatcher}}");
        }

        return new AkkaConfiguration(ConfigurationFactory.ParseString(text + "\n" + dispatchers), ids);
    }
}
