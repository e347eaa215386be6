using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Expressions;

/// <summary>
/// How to read one field of one payload variant: the variant's sealed class (matched exactly, so the
/// type check is a pointer compare) and the field's entry in the payload catalog, whose getter returns
/// the value without allocating.
/// </summary>
internal sealed class PayloadAccessor
{
    private readonly FieldSpec _field;
    private readonly FieldSpec? _parent;
    private readonly EnumDomain? _domain;

    /// <param name="variant">The payload variant.</param>
    /// <param name="field">The field, of the variant or of its nested object <paramref name="parent"/>.</param>
    /// <param name="parent">The nested object holding <paramref name="field"/>, or null.</param>
    /// <param name="type">The field's static type.</param>
    /// <param name="domain">The enum domain of an enum field.</param>
    public PayloadAccessor(PayloadVariant variant, FieldSpec field, FieldSpec? parent, StaticType type, EnumDomain? domain)
    {
        PayloadClass = variant.Schema.ClrType;
        Family = variant.FamilyName;
        Variant = variant.Variant;
        Type = type;
        _field = field;
        _parent = parent;
        _domain = domain;
    }

    public Type PayloadClass { get; }

    public string Family { get; }

    public string Variant { get; }

    public StaticType Type { get; }

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

    /// <summary>Reads a plain field; the payload is known to be of <see cref="PayloadClass"/>.</summary>
    private Value Read(EventPayload payload)
    {
        object? record = payload;
        if (_parent is not null)
        {
            record = _parent.Get!(payload).Object;
            if (record is null)
            {
                return Value.Null;
            }
        }

        var slot = _field.Get!(record);
        return _field.Kind switch
        {
            FieldKind.String or FieldKind.OptionalString => Value.FromString(slot.OptionalString),
            FieldKind.Double or FieldKind.OptionalDouble => Value.FromNumber(slot.OptionalDouble),
            FieldKind.UInt32 or FieldKind.OptionalUInt32 or FieldKind.UInt64 => slot.Present ? Value.FromNumber((double)slot.Bits) : Value.Null,
            FieldKind.Boolean => Value.FromBoolean(slot.Boolean),
            FieldKind.Enum or FieldKind.VariantTag => Value.FromEnum(_domain!, (int)slot.Bits),
            FieldKind.OpenEnum => Value.FromString(slot.OptionalString ?? _field.EnumTable!.Names[(int)slot.Bits]),
            _ => Value.Null,
        };
    }

    /// <summary>Reads an entry of a map field; the payload is known to be of <see cref="PayloadClass"/>.</summary>
    private Value ReadKeyed(EventPayload payload, string key)
    {
        var map = _field.Get!(payload).Object;
        return map switch
        {
            IReadOnlyDictionary<string, ulong> counts => counts.TryGetValue(key, out var n) ? Value.FromNumber((double)n) : Value.Null,
            IReadOnlyDictionary<string, double> numbers => numbers.TryGetValue(key, out var x) ? Value.FromNumber(x) : Value.Null,
            _ => Value.Null,
        };
    }
}
