using System.Runtime.CompilerServices;
using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// How to read one field of one payload variant: the variant's sealed class (matched exactly, so the
/// type check is a pointer compare) and a typed getter that returns a <see cref="Value"/> without
/// allocating. Subclasses per value kind keep a read to one virtual call and one delegate call.
/// </summary>
internal abstract class PayloadAccessor(Type payloadClass, string family, string variant, StaticType type)
{
    public Type PayloadClass { get; } = payloadClass;

    public string Family { get; } = family;

    public string Variant { get; } = variant;

    public StaticType Type { get; } = type;

    /// <summary>Reads a plain field; the payload is known to be of <see cref="PayloadClass"/>.</summary>
    public abstract Value Read(EventPayload payload);

    /// <summary>Reads an entry of a map field; the payload is known to be of <see cref="PayloadClass"/>.</summary>
    public virtual Value ReadKeyed(EventPayload payload, string key) => Value.Null;

    public static Value Read(PayloadAccessor[] accessors, EventPayload payload)
    {
        var type = payload.GetType();
        for (var i = 0; i < accessors.Length; i++)
        {
            if (ReferenceEquals(accessors[i].PayloadClass, type))
            {
                return accessors[i].Read(payload);
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
                return accessors[i].ReadKeyed(payload, key);
            }
        }

        return Value.Null;
    }

    // The exact type was checked by the caller, so the unchecked cast is safe.
    private static T As<T>(EventPayload payload)
        where T : EventPayload => Unsafe.As<T>(payload);

    internal sealed class Number<T>(string family, string variant, Func<T, double> get) : PayloadAccessor(typeof(T), family, variant, StaticType.Number)
        where T : EventPayload
    {
        public override Value Read(EventPayload payload) => Value.FromNumber(get(As<T>(payload)));
    }

    internal sealed class OptionalNumber<T>(string family, string variant, Func<T, double?> get) : PayloadAccessor(typeof(T), family, variant, StaticType.Number)
        where T : EventPayload
    {
        public override Value Read(EventPayload payload) => Value.FromNumber(get(As<T>(payload)));
    }

    internal sealed class Text<T>(string family, string variant, Func<T, string?> get) : PayloadAccessor(typeof(T), family, variant, StaticType.String)
        where T : EventPayload
    {
        public override Value Read(EventPayload payload) => Value.FromString(get(As<T>(payload)));
    }

    internal sealed class Flag<T>(string family, string variant, Func<T, bool> get) : PayloadAccessor(typeof(T), family, variant, StaticType.Boolean)
        where T : EventPayload
    {
        public override Value Read(EventPayload payload) => Value.FromBoolean(get(As<T>(payload)));
    }

    internal sealed class EnumValue<T>(string family, string variant, EnumDomain domain, Func<T, int> get) : PayloadAccessor(typeof(T), family, variant, StaticType.Enum(domain))
        where T : EventPayload
    {
        public override Value Read(EventPayload payload) => Value.FromEnum(domain, get(As<T>(payload)));
    }

    internal sealed class MapEntry<T>(string family, string variant, Func<T, string, Value> get) : PayloadAccessor(typeof(T), family, variant, StaticType.Number)
        where T : EventPayload
    {
        public override Value Read(EventPayload payload) => Value.Null;

        public override Value ReadKeyed(EventPayload payload, string key) => get(As<T>(payload), key);
    }
}
