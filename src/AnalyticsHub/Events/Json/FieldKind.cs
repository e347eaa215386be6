namespace AnalyticsHub.Events.Json;

/// <summary>How a field's JSON value is read and stored in its <see cref="FieldSlot"/>.</summary>
internal enum FieldKind : byte
{
    /// <summary>A required, non-null string (slot: Object).</summary>
    String,

    /// <summary>A string that may be absent or null (slot: Object).</summary>
    OptionalString,

    /// <summary>A required finite number (slot: Double).</summary>
    Double,

    /// <summary>A finite number that may be absent or null (slot: Double, Present).</summary>
    OptionalDouble,

    /// <summary>A required unsigned 32-bit integer (slot: Bits).</summary>
    UInt32,

    /// <summary>An unsigned 32-bit integer that may be absent or null (slot: Bits, Present).</summary>
    OptionalUInt32,

    /// <summary>A required unsigned 64-bit integer, never routed through a double (slot: Bits).</summary>
    UInt64,

    /// <summary>A required boolean (slot: Bits).</summary>
    Boolean,

    /// <summary>A required array of strings (slot: Object, a string[]).</summary>
    StringList,

    /// <summary>A map of strings; absent reads as empty, null is an error (slot: Object).</summary>
    StringMap,

    /// <summary>A required map of unsigned 64-bit integers (slot: Object).</summary>
    UInt64Map,

    /// <summary>A required map of finite numbers (slot: Object).</summary>
    DoubleMap,

    /// <summary>A required map of arbitrary JSON values (slot: Object).</summary>
    JsonMap,

    /// <summary>Any JSON value, null included, required (slot: Object, a JsonElement).</summary>
    Json,

    /// <summary>A required closed enum (slot: Bits = value).</summary>
    Enum,

    /// <summary>A required enum with an <c>Other(name)</c> variant (slot: Bits = category, Object = name).</summary>
    OpenEnum,

    /// <summary>A nested object that may be absent or null (slot: Object).</summary>
    OptionalObject,

    /// <summary>A required array of nested objects (slot: Object, a typed list).</summary>
    ObjectList,

    /// <summary>A required RFC 3339 timestamp (slot: Bits = UTC ticks).</summary>
    Timestamp,

    /// <summary>A string that may be absent (a default applies) but not null (slot: Object; Bits = token start, for later checks).</summary>
    DefaultedString,

    /// <summary>A UUID that may be absent but not null (slot: Object = boxed Guid).</summary>
    Uuid,

    /// <summary>A UUID that may be absent or null (slot: Object = boxed Guid).</summary>
    OptionalUuid,

    /// <summary>A value kept as a byte range of the input and read later (slot: Bits = start, Double = length).</summary>
    Deferred,

    /// <summary>The variant tag of a payload's data (e.g. <c>telemetry_type</c>): read before the object to pick its schema, then only checked for duplicates; written first (slot: Bits = value).</summary>
    VariantTag,

    /// <summary>A value read by the field's own <see cref="IInlineFieldReader"/> (the payload envelope).</summary>
    Inline,
}
