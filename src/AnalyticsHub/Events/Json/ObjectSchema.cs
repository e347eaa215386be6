namespace AnalyticsHub.Events.Json;

/// <summary>Builds an object from the slots of its fields (in the order of the schema).</summary>
internal delegate T SlotFactory<out T>(ReadOnlySpan<FieldSlot> slots);

/// <summary>The fields of one JSON object shape, for the table-driven reader.</summary>
internal abstract class ObjectSchema
{
    protected ObjectSchema(Type clrType, FieldSpec[] fields)
    {
        if (fields.Length > 64)
        {
            throw new ArgumentException("At most 64 fields per object.", nameof(fields));
        }

        ClrType = clrType;
        Fields = fields;
    }

    /// <summary>The record the objects are read into.</summary>
    public Type ClrType { get; }

    public FieldSpec[] Fields { get; }

    /// <summary>The index of the field whose name the reader's current property name equals, or -1.</summary>
    /// <param name="reader">The reader, on a property name.</param>
    /// <param name="expected">The index to try first: producers write fields in schema order, so this usually hits.</param>
    public int Match(ref System.Text.Json.Utf8JsonReader reader, int expected)
    {
        var fields = Fields;
        if ((uint)expected < (uint)fields.Length && SchemaReader.NameEquals(ref reader, fields[expected].Utf8Name))
        {
            return expected;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (SchemaReader.NameEquals(ref reader, fields[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    public abstract object Create(ReadOnlySpan<FieldSlot> slots);

    /// <summary>Makes the typed list that an <see cref="FieldKind.ObjectList"/> field of this schema holds.</summary>
    public abstract System.Collections.IList CreateList(int capacity);
}

/// <summary>An object schema whose objects are <typeparamref name="T"/>.</summary>
internal sealed class ObjectSchema<T>(FieldSpec[] fields, SlotFactory<T> factory) : ObjectSchema(typeof(T), fields)
    where T : class
{
    public override object Create(ReadOnlySpan<FieldSlot> slots) => factory(slots);

    public override System.Collections.IList CreateList(int capacity) => new List<T>(capacity);
}
