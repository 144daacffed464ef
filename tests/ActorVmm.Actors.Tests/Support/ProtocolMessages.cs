using ActorVmm.Memory;
using ActorVmm.Monitor;

namespace ActorVmm.Actors.Tests.Support;

/// <summary>
/// Every message type of the monitor's protocols, found by reflection: each concrete type
/// implementing a <c>*Protocol+IMessage</c>, plus the plain records sent as replies. A
/// message added later is in this list without anyone adding it, so the serialization tests
/// cover it (and fail until it has a serializer manifest).
/// </summary>
public static class ProtocolMessages
{
    /// <summary>Records of other projects sent as replies, and the protocol whose serializer they are bound to.</summary>
    public static readonly IReadOnlyDictionary<Type, Type> Replies = new Dictionary<Type, Type>
    {
        [typeof(VcpuStatistics)] = typeof(VirtualCpuProtocol),
        [typeof(MemoryUsage)] = typeof(MemoryManagerProtocol),
    };

    /// <summary>The protocols: the static classes whose nested <c>IMessage</c> marks their messages.</summary>
    public static IReadOnlyList<Type> Families { get; } = typeof(MonitorRoot).Assembly.GetTypes()
        .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Protocol", StringComparison.Ordinal) && Marker(t) is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Every message type and its protocol.</summary>
    public static IReadOnlyDictionary<Type, Type> All { get; } = Build();

    public static bool IsProtocolMessage(Type type) => All.ContainsKey(type);

    public static Type? Marker(Type family) => family.GetNestedType("IMessage") is { IsInterface: true } marker ? marker : null;

    private static Dictionary<Type, Type> Build()
    {
        var all = new Dictionary<Type, Type>(Replies);
        foreach (var family in Families)
        {
            var marker = Marker(family)!;
            foreach (var type in typeof(MonitorRoot).Assembly.GetTypes().Where(t => !t.IsAbstract && !t.IsInterface && marker.IsAssignableFrom(t)))
            {
                all.Add(type, family);
            }
        }

        return all;
    }
}
