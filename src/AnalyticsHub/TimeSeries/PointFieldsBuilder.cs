namespace AnalyticsHub.TimeSeries;

/// <summary>Collects the fields of one extracted point; later duplicates of a name are ignored.</summary>
/// <remarks>One instance per thread is reused (<see cref="Rent"/>): extraction is synchronous and <see cref="Build"/> copies out.</remarks>
internal sealed class PointFieldsBuilder
{
    [ThreadStatic]
    private static PointFieldsBuilder? t_cached;

    private readonly List<string> _names = new(8);
    private readonly List<FieldValue> _values = new(8);

    // Beyond a few fields (custom data can bring thousands) names are found by hash, so a point costs O(fields).
    private readonly HashSet<string> _index = new(StringComparer.Ordinal);
    private const int LinearLookup = 8;

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

        if (_names.Count < LinearLookup)
        {
            foreach (var existing in _names)
            {
                if (string.Equals(existing, name, StringComparison.Ordinal))
                {
                    return this;
                }
            }
        }
        else
        {
            if (_index.Count == 0)
            {
                _index.UnionWith(_names);
            }

            if (!_index.Add(name))
            {
                return this;
            }
        }

        _names.Add(name);
        _values.Add(value);
        return this;
    }

    /// <summary>The calling thread's builder, emptied.</summary>
    public static PointFieldsBuilder Rent()
    {
        var builder = t_cached ??= new PointFieldsBuilder();
        builder._names.Clear();
        builder._values.Clear();
        builder._index.Clear();
        return builder;
    }

    public FieldSet Build() => FieldSet.FromArrays([.. _names], [.. _values]);
}
