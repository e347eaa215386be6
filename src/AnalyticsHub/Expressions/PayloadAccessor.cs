using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Expressions;

/// <summary>
/// How to read one field of one payload variant: the variant's sealed class (matched exactly, so the
/// type check is a pointer compare) and the field's entry in the payload catalog, whose getter returns
/// the value without allocating.
/// </summary>
/// <param name="variant">The payload variant.</param>
/// <param name="field">The field, of the variant or of its nested object <paramref name="parent"/>.</param>
/// <param name="parent">The nested object holding <paramref name="field"/>, or null.</param>
/// <param name="type">The field's static type.</param>
/// <param name="domain">The enum domain of an enum field.</param>
internal sealed class PayloadAccessor(PayloadVariant variant, FieldSpec field, FieldSpec? parent, StaticType type, EnumDomain? domain)
{
    private readonly FieldSpec _field = field;
    private readonly FieldSpec? _parent = parent;
    private readonly EnumDomain? _domain = domain;

    public Type PayloadClass { get; } = variant.Schema.ClrType;

    public string Family => variant.FamilyName;

    public string Variant => variant.Variant;

    public StaticType Type => type;

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
