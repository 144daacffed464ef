using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Akka.Actor;
using Xunit.Sdk;

namespace ActorVmm.Actors.Tests.Serialization;

/// <summary>
/// Compares two values field by field, all the way down: collections element by element
/// (record equality compares arrays by reference, so it would call every copy different),
/// dictionaries entry by entry, actor references by identity, objects by their public
/// fields and settable properties (a record's positional members are init-settable) and by
/// their exact type (so an Emulated does not come back as a Reflected).
/// </summary>
public static class StructuralEquality
{
    public static void AssertEqual(object? expected, object? actual, string path = "message")
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null)
            {
                throw Differ(path, expected, actual);
            }

            return;
        }

        var type = expected.GetType();
        if (IsImmutableArray(type))
        {
            bool expectedDefault = (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(expected)!;
            bool actualDefault = actual.GetType() == type && (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(actual)!;
            if (expectedDefault || actualDefault)
            {
                if (expectedDefault != actualDefault)
                {
                    throw new XunitException($"{path}: expected {(expectedDefault ? "a default" : "a non-default")} ImmutableArray, got the other");
                }

                return;
            }
        }

        if (expected is IActorRef || expected is string || type.IsPrimitive || type.IsEnum || expected is TimeSpan)
        {
            if (!expected.Equals(actual))
            {
                throw Differ(path, expected, actual);
            }

            return;
        }

        if (expected is ReadOnlyMemory<byte> memory)
        {
            if (actual is not ReadOnlyMemory<byte> other || !memory.Span.SequenceEqual(other.Span))
            {
                throw Differ(path, expected, actual);
            }

            return;
        }

        if (expected is IDictionary map)
        {
            var otherMap = actual as IDictionary ?? throw Differ(path, expected, actual);
            if (map.Count != otherMap.Count)
            {
                throw new XunitException($"{path}: expected {map.Count} entries, got {otherMap.Count}");
            }

            foreach (DictionaryEntry entry in map)
            {
                if (!otherMap.Contains(entry.Key))
                {
                    throw new XunitException($"{path}: key {entry.Key} is missing");
                }

                AssertEqual(entry.Value, otherMap[entry.Key], $"{path}[{entry.Key}]");
            }

            return;
        }

        if (expected is IEnumerable items)
        {
            var left = items.Cast<object?>().ToList();
            var right = (actual as IEnumerable ?? throw Differ(path, expected, actual)).Cast<object?>().ToList();
            if (left.Count != right.Count)
            {
                throw new XunitException($"{path}: expected {left.Count} items, got {right.Count}");
            }

            for (int i = 0; i < left.Count; i++)
            {
                AssertEqual(left[i], right[i], $"{path}[{i}]");
            }

            return;
        }

        if (actual.GetType() != type)
        {
            throw new XunitException($"{path}: expected a {type.Name}, got a {actual.GetType().Name}");
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            AssertEqual(field.GetValue(expected), field.GetValue(actual), $"{path}.{field.Name}");
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            {
                AssertEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
            }
        }
    }

    /// <summary>Fails on any null, zero, false, default or empty member anywhere inside <paramref name="value"/>.</summary>
    public static void AssertFilled(object? value, string path = "message")
    {
        switch (value)
        {
            case null:
                throw new XunitException($"{path} is null");
            case IActorRef or string or TimeSpan:
                if (value is "" || value.Equals(TimeSpan.Zero))
                {
                    throw new XunitException($"{path} is empty");
                }

                return;
            case ReadOnlyMemory<byte> memory:
                if (memory.IsEmpty)
                {
                    throw new XunitException($"{path} is empty");
                }

                return;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum)
        {
            if (value.Equals(Activator.CreateInstance(type)))
            {
                throw new XunitException($"{path} is {value}, its type's default");
            }

            return;
        }

        if (IsImmutableArray(type) && (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(value)!)
        {
            throw new XunitException($"{path} is a default ImmutableArray");
        }

        if (value is IDictionary map)
        {
            if (map.Count == 0)
            {
                throw new XunitException($"{path} is empty");
            }

            foreach (DictionaryEntry entry in map)
            {
                AssertFilled(entry.Key, $"{path}.key");
                AssertFilled(entry.Value, $"{path}[{entry.Key}]");
            }

            return;
        }

        if (value is IEnumerable items)
        {
            var list = items.Cast<object?>().ToList();
            if (list.Count == 0)
            {
                throw new XunitException($"{path} is empty");
            }

            for (int i = 0; i < list.Count; i++)
            {
                AssertFilled(list[i], $"{path}[{i}]");
            }

            return;
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            AssertFilled(field.GetValue(value), $"{path}.{field.Name}");
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            {
                AssertFilled(property.GetValue(value), $"{path}.{property.Name}");
            }
        }
    }

    private static bool IsImmutableArray(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>);

    private static XunitException Differ(string path, object? expected, object? actual) =>
        new($"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
}
