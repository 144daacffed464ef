using System.Collections.Immutable;
using System.Reflection;
using Akka.Actor;

namespace ActorVmm.Actors.Tests.Serialization;

/// <summary>
/// Builds a value of any protocol type by reflection, with a different non-default value in
/// every field (every constructor parameter, every settable property, every public field of a
/// struct such as Cp0State), so a serializer that drops or swaps a field is caught by the
/// round trip. Variant 0 fills everything; other variants pick each concrete subtype of an
/// abstract member in turn (every kind of TrapDecision), leave nullable members null (odd
/// variants) and use default (variant 3) and empty (variant 5) immutable arrays.
/// </summary>
public sealed class SampleValues
{
    public const int Variants = 6;

    private static readonly NullabilityInfoContext Nullability = new();

    private readonly int _variant;
    private readonly IReadOnlyList<IActorRef> _refs;
    private int _next;

    public SampleValues(int variant, IReadOnlyList<IActorRef> refs)
    {
        _variant = variant;
        _refs = refs;
    }

    public object Make(Type type) => Make(type, nullable: false, depth: 0)!;

    private int Next() => ++_next;

    private object? Make(Type type, bool nullable, int depth)
    {
        if (depth > 12)
        {
            throw new InvalidOperationException($"{type} nests too deeply to sample");
        }

        if (nullable && _variant % 2 == 1)
        {
            return null;
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return _variant % 2 == 1 ? null : Make(inner, false, depth + 1);
        }

        int n = Next();
        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(byte))
        {
            return (byte)(n % 250 + 1);
        }

        if (type == typeof(short))
        {
            return (short)(-n * 37);
        }

        if (type == typeof(int))
        {
            return n * 7919 * (n % 2 == 0 ? 1 : -1);
        }

        if (type == typeof(uint))
        {
            return 0x8000_0000u | (uint)(n * 104729);
        }

        if (type == typeof(long))
        {
            return ((long)n << 33) + n * 3;
        }

        if (type == typeof(ulong))
        {
            return 0x8000_0000_0000_0000ul | ((ulong)n << 20);
        }

        if (type == typeof(double))
        {
            return n + 0.375;
        }

        if (type == typeof(string))
        {
            return $"s{n}-é✓";
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromTicks(n * 1_234_567L);
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type).Cast<object>().Where(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) != 0).ToArray();
            return values[n % values.Length];
        }

        if (typeof(IActorRef).IsAssignableFrom(type))
        {
            return _refs[n % _refs.Count];
        }

        if (type == typeof(ReadOnlyMemory<byte>))
        {
            return new ReadOnlyMemory<byte>(Bytes(n));
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(ImmutableArray<>))
            {
                return ImmutableArrayOf(args[0], depth);
            }

            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(IEnumerable<>))
            {
                return ArrayOf(args[0], 3, depth);
            }

            if (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(ImmutableDictionary<,>))
            {
                return DictionaryOf(args[0], args[1], definition == typeof(ImmutableDictionary<,>), depth);
            }
        }

        if (type.IsArray)
        {
            return ArrayOf(type.GetElementType()!, 3, depth);
        }

        if (type.IsAbstract)
        {
            var concrete = type.Assembly.GetTypes().Where(t => !t.IsAbstract && type.IsAssignableFrom(t)).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
            if (concrete.Length == 0)
            {
                throw new InvalidOperationException($"no concrete type of {type} to sample");
            }

            return Make(concrete[(_variant + depth) % concrete.Length], false, depth + 1);
        }

        return Construct(type, depth);
    }

    private object Construct(Type type, int depth)
    {
        var ctor = type.GetConstructors()
            .Where(c => !c.GetParameters().Any(p => p.ParameterType == type))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
        object instance;
        var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (ctor is null)
        {
            if (!type.IsValueType)
            {
                throw new InvalidOperationException($"{type} has no public constructor to sample");
            }

            instance = Activator.CreateInstance(type)!;
        }
        else
        {
            var parameters = ctor.GetParameters();
            instance = ctor.Invoke(parameters.Select(p => Make(p.ParameterType, IsNullable(p), depth + 1)).ToArray());
            covered.UnionWith(parameters.Select(p => p.Name!));
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0 && !covered.Contains(property.Name))
            {
                property.SetValue(instance, Make(property.PropertyType, Nullability.Create(property).WriteState == NullabilityState.Nullable, depth + 1));
            }
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!field.IsInitOnly)
            {
                field.SetValue(instance, Make(field.FieldType, Nullability.Create(field).WriteState == NullabilityState.Nullable, depth + 1));
            }
        }

        return instance;
    }

    private static bool IsNullable(ParameterInfo p) => Nullability.Create(p).WriteState == NullabilityState.Nullable;

    private object ImmutableArrayOf(Type element, int depth)
    {
        var arrayType = typeof(ImmutableArray<>).MakeGenericType(element);
        if (_variant == 3)
        {
            return Activator.CreateInstance(arrayType)!; // default
        }

        var items = _variant == 5 ? Array.CreateInstance(element, 0) : element == typeof(byte) ? Bytes(Next()) : ArrayOf(element, 3, depth);
        var create = typeof(ImmutableArray).GetMethods()
            .Single(m => m.Name == nameof(ImmutableArray.Create) && m.GetParameters() is [{ ParameterType.IsArray: true }])
            .MakeGenericMethod(element);
        return create.Invoke(null, [items])!;
    }

    private Array ArrayOf(Type element, int count, int depth)
    {
        var items = Array.CreateInstance(element, count);
        for (int i = 0; i < count; i++)
        {
            items.SetValue(Make(element, false, depth + 1), i);
        }

        return items;
    }

    private object DictionaryOf(Type key, Type value, bool immutable, int depth)
    {
        var dictionary = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value))!;
        for (int i = 0; i < 3; i++)
        {
            dictionary.Add(Make(key, false, depth + 1)!, Make(value, false, depth + 1));
        }

        if (!immutable)
        {
            return dictionary;
        }

        return typeof(SampleValues).GetMethod(nameof(ToImmutable), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(key, value).Invoke(null, [dictionary])!;
    }

    private static ImmutableDictionary<TKey, TValue> ToImmutable<TKey, TValue>(Dictionary<TKey, TValue> map)
        where TKey : notnull => map.ToImmutableDictionary();

    private static byte[] Bytes(int seed)
    {
        var bytes = new byte[5 + seed % 7];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i * 17 + 1);
        }

        return bytes;
    }
}
