using System.Text;

namespace AnalyticsHub.Events.Json;

/// <summary>One field of an object schema: its wire name, how to read it, and nested tables.</summary>
internal sealed class FieldSpec
{
    public FieldSpec(string name, FieldKind kind, WireEnum? enumTable = null, ObjectSchema? nested = null, IInlineFieldReader? inline = null)
    {
        InlineReader = inline;
        Name = name;
        Utf8Name = Encoding.UTF8.GetBytes(name);
        Kind = kind;
        EnumTable = enumTable;
        Nested = nested;
    }

    public string Name { get; }

    public byte[] Utf8Name { get; }

    public FieldKind Kind { get; }

    public WireEnum? EnumTable { get; }

    public ObjectSchema? Nested { get; }

    public IInlineFieldReader? InlineReader { get; }

    /// <summary>Whether the key must be present.</summary>
    public bool IsRequired => Kind is FieldKind.String or FieldKind.Double or FieldKind.UInt32 or FieldKind.UInt64
        or FieldKind.Boolean or FieldKind.StringList or FieldKind.UInt64Map or FieldKind.DoubleMap or FieldKind.JsonMap
        or FieldKind.Json or FieldKind.Enum or FieldKind.OpenEnum or FieldKind.ObjectList or FieldKind.Timestamp;
}

/// <summary>Reads a field whose shape the table cannot describe, in the same pass as its object.</summary>
internal interface IInlineFieldReader
{
    /// <summary>Reads the value the reader is on (not null) into <paramref name="slot"/>; false when a problem was reported.</summary>
    bool Read(ref System.Text.Json.Utf8JsonReader reader, JsonReadContext context, out FieldSlot slot);
}
