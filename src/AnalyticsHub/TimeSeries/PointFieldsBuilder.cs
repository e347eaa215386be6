namespace AnalyticsHub.TimeSeries;

/// <summary>Collects the fields of one extracted point; later duplicates of a name are ignored.</summary>
internal sealed class PointFieldsBuilder
{
    private readonly List<string> _names = new(8);
    private readonly List<FieldValue> _values = new(8);

    public PointFieldsBuilder Add(string name, double value) => Add(name, FieldValue.FromDouble(value));

    public PointFieldsBuilder Add(string name, ulong value) => Add(name, FieldValue.FromUInt64(value));

    public PointFieldsBuilder Add(string name, bool value) => Add(name, FieldValue.FromBoolean(value));

    public PointFieldsBuilder AddIfPresent(string name, double? value) => value is { } v ? Add(name, v) : this;

    public PointFieldsBuilder AddIfPresent(string name, uint? value) => value is { } v ? Add(name, (ulong)v) : this;

    public PointFieldsBuilder Add(string name, FieldValue value)
    {
        if (value.Kind == FieldValueKind.Float && !double.IsFinite(BitConverter.Int64BitsToDouble(value.RawBits)))
        {
            return this;
        }

        foreach (var existing in _names)
        {
            if (string.Equals(existing, name, StringComparison.Ordinal))
            {
                return this;
            }
        }

        _names.Add(name);
        _values.Add(value);
        return this;
    }

    public FieldSet Build() => FieldSet.FromArrays([.. _names], [.. _values]);
}
