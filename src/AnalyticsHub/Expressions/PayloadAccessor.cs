using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// How to read one field of one payload variant: the variant's sealed class (matched exactly, so a
/// type check is a pointer compare) and a getter that returns a <see cref="Value"/> without allocating.
/// </summary>
internal sealed class PayloadAccessor(Type payloadClass, string family, string variant, StaticType type, Func<EventPayload, Value>? get, Func<EventPayload, string, Value>? getKeyed)
{
    public Type PayloadClass { get; } = payloadClass;

    public string Family { get; } = family;

    public string Variant { get; } = variant;

    public StaticType Type { get; } = type;

    /// <summary>Reads a plain field; the payload is known to be of <see cref="PayloadClass"/>.</summary>
    public Func<EventPayload, Value>? Get { get; } = get;

    /// <summary>Reads an entry of a map field by key; the payload is known to be of <see cref="PayloadClass"/>.</summary>
    public Func<EventPayload, string, Value>? GetKeyed { get; } = getKeyed;

    public static Value Read(PayloadAccessor[] accessors, EventPayload payload)
    {
        var type = payload.GetType();
        for (var i = 0; i < accessors.Length; i++)
        {
            if (ReferenceEquals(accessors[i].PayloadClass, type))
            {
                return accessors[i].Get!(payload);
            }
        }

        return Value.Null;
    }

    public static Value ReadKeyed(PayloadAccessor[] accessors, EventPayload payload, string key)
    {
        var type = payload.GetType();
        for (var i = 0; i < accessors.Length; i++)
        {
            if (ReferenceEquals(accessors[i].PayloadClass, type))
            {
                return accessors[i].GetKeyed!(payload, key);
            }
        }

        return Value.Null;
    }
}
