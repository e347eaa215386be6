using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// One field of an object schema, the single description every part of the library reads: its wire
/// name, how it is read and written, its CLR type and unit, whether it can be a time-series tag or
/// feeds a numeric point field, its sensitivity for redaction, and a getter from the record.
/// </summary>
internal sealed class FieldSpec
{
    /// <summary>A field of the event envelope, described for reading only (no getter).</summary>
    public FieldSpec(string name, FieldKind kind, WireEnum? enumTable = null, IInlineFieldReader? inline = null)
        : this(name, kind, typeof(object), Sensitivity.None, null)
    {
        EnumTable = enumTable;
        InlineReader = inline;
    }

    private FieldSpec(string name, FieldKind kind, Type clrType, Sensitivity sensitivity, Func<object, FieldSlot>? get)
    {
        (Name, Kind, ClrType, Sensitivity, Get) = (name, kind, clrType, sensitivity, get);
        Utf8Name = Encoding.UTF8.GetBytes(name);
    }

    public string Name { get; }

    public byte[] Utf8Name { get; }

    public FieldKind Kind { get; }

    /// <summary>The type of the record's property.</summary>
    public Type ClrType { get; }

    /// <summary>What the field can hold, for redaction; <see cref="Sensitivity.None"/> for anything that is not text.</summary>
    public Sensitivity Sensitivity { get; }

    /// <summary>Reads the field from a record, in the slot layout of <see cref="Kind"/>; null for envelope fields.</summary>
    public Func<object, FieldSlot>? Get { get; }

    public WireEnum? EnumTable { get; private init; }

    public ObjectSchema? Nested { get; private init; }

    public IInlineFieldReader? InlineReader { get; private init; }

    /// <summary>The unit of a number (<c>ms</c>, <c>USD</c>, <c>{token}</c>, <c>%</c>...); null when it has none.</summary>
    public string? Unit { get; private init; }

    /// <summary>Whether the value becomes a tag of the event's time-series point.</summary>
    public bool CanBeTag { get; private init; }

    /// <summary>
    /// The numeric point field the value feeds; for a list or map of text the field that counts its items; for a
    /// map of numbers the prefix of one field per key (<c>custom_metrics.</c>). Null when it feeds none.
    /// </summary>
    public string? PointField { get; private init; }

    /// <summary>The values a number accepts.</summary>
    public NumberRange Range { get; private init; }

    /// <summary>An optional field added after the first producers: written only when present (others are written as null).</summary>
    public bool OmitWhenAbsent { get; private init; }

    /// <summary>The value of a required text field, read without a slot (the validator's fast path); null for other kinds.</summary>
    internal Func<object, string?>? GetText { get; private init; }

    /// <summary>The value of a required number, read without a slot; null for other kinds.</summary>
    internal Func<object, double>? GetNumber { get; private init; }

    /// <summary>The value of an optional number, read without a slot; null for other kinds.</summary>
    internal Func<object, double?>? GetOptionalNumber { get; private init; }

    /// <summary>Whether the key must be present.</summary>
    public bool IsRequired => Kind is FieldKind.String or FieldKind.Double or FieldKind.UInt32 or FieldKind.UInt64
        or FieldKind.Boolean or FieldKind.StringList or FieldKind.UInt64Map or FieldKind.DoubleMap or FieldKind.JsonMap
        or FieldKind.Json or FieldKind.Enum or FieldKind.OpenEnum or FieldKind.ObjectList or FieldKind.Timestamp;

    /// <summary>A required, non-empty string.</summary>
    public static FieldSpec Text<T>(string name, Sensitivity sensitivity, Func<T, string> get, bool tag = false) =>
        new(name, FieldKind.String, typeof(string), sensitivity, o => Slot(get((T)o))) { CanBeTag = tag, GetText = o => get((T)o) };

    /// <summary>A string that may be absent or null.</summary>
    public static FieldSpec OptionalText<T>(string name, Sensitivity sensitivity, Func<T, string?> get, bool omitWhenAbsent = false) =>
        new(name, FieldKind.OptionalString, typeof(string), sensitivity, o => Slot(get((T)o))) { OmitWhenAbsent = omitWhenAbsent };

    /// <summary>A required array of strings; <paramref name="count"/> names the point field that counts its items.</summary>
    public static FieldSpec Texts<T>(string name, Sensitivity sensitivity, Func<T, IReadOnlyList<string>> get, string? count = null) =>
        new(name, FieldKind.StringList, typeof(IReadOnlyList<string>), sensitivity, o => Slot(get((T)o))) { PointField = count };

    /// <summary>A required finite number.</summary>
    public static FieldSpec Number<T>(string name, string unit, Func<T, double> get, string? point = null, NumberRange range = NumberRange.Finite) =>
        new(name, FieldKind.Double, typeof(double), Sensitivity.None, o => new FieldSlot { Present = true, Double = get((T)o) })
        {
            Unit = unit, PointField = point, Range = range, GetNumber = o => get((T)o),
        };

    /// <summary>A finite number that may be absent or null.</summary>
    public static FieldSpec OptionalNumber<T>(string name, string unit, Func<T, double?> get, string? point = null, NumberRange range = NumberRange.Finite, bool omitWhenAbsent = false) =>
        new(name, FieldKind.OptionalDouble, typeof(double?), Sensitivity.None, o => Slot(get((T)o)))
        {
            Unit = unit, PointField = point, Range = range, OmitWhenAbsent = omitWhenAbsent, GetOptionalNumber = o => get((T)o),
        };

    /// <summary>A required unsigned 32-bit integer.</summary>
    public static FieldSpec UInt32<T>(string name, string unit, Func<T, uint> get, string? point = null) =>
        new(name, FieldKind.UInt32, typeof(uint), Sensitivity.None, o => new FieldSlot { Present = true, Bits = get((T)o) }) { Unit = unit, PointField = point };

    /// <summary>An unsigned 32-bit integer that may be absent or null.</summary>
    public static FieldSpec OptionalUInt32<T>(string name, string unit, Func<T, uint?> get, string? point = null) =>
        new(name, FieldKind.OptionalUInt32, typeof(uint?), Sensitivity.None, o => Slot(get((T)o))) { Unit = unit, PointField = point, OmitWhenAbsent = true };

    /// <summary>A required unsigned 64-bit integer.</summary>
    public static FieldSpec UInt64<T>(string name, string unit, Func<T, ulong> get, string? point = null) =>
        new(name, FieldKind.UInt64, typeof(ulong), Sensitivity.None, o => new FieldSlot { Present = true, Bits = get((T)o) }) { Unit = unit, PointField = point };

    /// <summary>A required boolean.</summary>
    public static FieldSpec Flag<T>(string name, Func<T, bool> get, string? point = null) =>
        new(name, FieldKind.Boolean, typeof(bool), Sensitivity.None, o => new FieldSlot { Present = true, Bits = get((T)o) ? 1UL : 0UL }) { PointField = point };

    /// <summary>A required closed enum.</summary>
    public static FieldSpec Choice<T, TEnum>(string name, WireEnum<TEnum> table, Func<T, TEnum> get, bool tag = false)
        where TEnum : struct, Enum =>
        new(name, FieldKind.Enum, typeof(TEnum), Sensitivity.None, o => Slot(get((T)o))) { EnumTable = table, CanBeTag = tag };

    /// <summary>The variant tag of a payload (<c>telemetry_type</c>...), written first.</summary>
    public static FieldSpec VariantTag<T, TEnum>(string name, WireEnum<TEnum> table, Func<T, TEnum> get)
        where TEnum : struct, Enum =>
        new(name, FieldKind.VariantTag, typeof(TEnum), Sensitivity.None, o => Slot(get((T)o))) { EnumTable = table };

    /// <summary>A required enum with an <c>Other(name)</c> variant; the name is producer text of <paramref name="sensitivity"/>.</summary>
    public static FieldSpec OpenChoice<T, TValue, TEnum>(string name, WireEnum<TEnum> table, Sensitivity sensitivity, Func<T, TValue> get, Func<TValue, TEnum> category, Func<TValue, string?> otherName, bool tag = false)
        where TEnum : struct, Enum =>
        new(name, FieldKind.OpenEnum, typeof(TValue), sensitivity, o =>
        {
            var value = get((T)o);
            var slot = Slot(category(value));
            slot.Object = otherName(value);
            return slot;
        })
        { EnumTable = table, CanBeTag = tag };

    /// <summary>A required map of counts; each key feeds the point field <paramref name="pointPrefix"/> + key.</summary>
    public static FieldSpec UInt64Map<T>(string name, string unit, Func<T, IReadOnlyDictionary<string, ulong>> get, string? pointPrefix = null) =>
        new(name, FieldKind.UInt64Map, typeof(IReadOnlyDictionary<string, ulong>), Sensitivity.Content, o => Slot(get((T)o))) { Unit = unit, PointField = pointPrefix };

    /// <summary>A required map of finite numbers; each key feeds the point field <paramref name="pointPrefix"/> + key.</summary>
    public static FieldSpec DoubleMap<T>(string name, string unit, Func<T, IReadOnlyDictionary<string, double>> get, string? pointPrefix = null) =>
        new(name, FieldKind.DoubleMap, typeof(IReadOnlyDictionary<string, double>), Sensitivity.Content, o => Slot(get((T)o))) { Unit = unit, PointField = pointPrefix };

    /// <summary>A required map of arbitrary JSON values, walked whole by redaction; <paramref name="count"/> counts its keys.</summary>
    public static FieldSpec JsonMap<T>(string name, Sensitivity sensitivity, Func<T, IReadOnlyDictionary<string, JsonElement>> get, string? count = null) =>
        new(name, FieldKind.JsonMap, typeof(IReadOnlyDictionary<string, JsonElement>), sensitivity, o => Slot(get((T)o))) { PointField = count };

    /// <summary>Any JSON value, walked whole by redaction.</summary>
    public static FieldSpec Json<T>(string name, Sensitivity sensitivity, Func<T, JsonElement> get) =>
        new(name, FieldKind.Json, typeof(JsonElement), sensitivity, o => Slot(get((T)o)));

    /// <summary>A nested object that may be absent or null.</summary>
    public static FieldSpec Object<T, TNested>(string name, ObjectSchema<TNested> schema, Func<T, TNested?> get)
        where TNested : class =>
        new(name, FieldKind.OptionalObject, typeof(TNested), Sensitivity.None, o => Slot(get((T)o))) { Nested = schema, OmitWhenAbsent = true };

    /// <summary>A required array of nested objects; <paramref name="count"/> counts its items.</summary>
    public static FieldSpec Objects<T, TNested>(string name, ObjectSchema<TNested> schema, Func<T, IReadOnlyList<TNested>> get, string? count = null)
        where TNested : class =>
        new(name, FieldKind.ObjectList, typeof(IReadOnlyList<TNested>), Sensitivity.None, o => Slot(get((T)o))) { Nested = schema, PointField = count };

    /// <summary>
    /// This field's JSON path under <paramref name="prefix"/> (e.g. <c>payload.data.</c> + name), cached for the last
    /// prefix so that validating a clean event builds no strings: prefixes of fields outside arrays are themselves cached
    /// strings, so the cache hits.
    /// </summary>
    internal string PathUnder(string prefix) => Paths(prefix).Path;

    /// <summary>The prefix of this (object) field's own fields under <paramref name="prefix"/>: its path and a dot.</summary>
    internal string NestedPrefixUnder(string prefix) => Paths(prefix).NestedPrefix;

    private PathCache Paths(string prefix)
    {
        var cached = _paths;
        if (cached is null || !ReferenceEquals(cached.Prefix, prefix))
        {
            cached = new PathCache(prefix, prefix + Name, prefix + Name + ".");
            _paths = cached;
        }

        return cached;
    }

    private PathCache? _paths;

    private sealed record PathCache(string Prefix, string Path, string NestedPrefix);

    private static FieldSlot Slot(object? value) => new() { Present = value is not null, Object = value };

    private static FieldSlot Slot(double? value) => new() { Present = value.HasValue, Double = value.GetValueOrDefault() };

    private static FieldSlot Slot(uint? value) => new() { Present = value.HasValue, Bits = value.GetValueOrDefault() };

    private static FieldSlot Slot<TEnum>(TEnum value)
        where TEnum : struct, Enum => new() { Present = true, Bits = (ulong)Unsafe.As<TEnum, int>(ref value) };
}

/// <summary>Reads a field whose shape the table cannot describe, in the same pass as its object.</summary>
internal interface IInlineFieldReader
{
    /// <summary>Reads the value the reader is on (not null) into <paramref name="slot"/>; false when a problem was reported.</summary>
    bool Read(ref System.Text.Json.Utf8JsonReader reader, JsonReadContext context, out FieldSlot slot);
}
