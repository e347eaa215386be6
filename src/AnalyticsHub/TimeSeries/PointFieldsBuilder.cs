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

    /// <summary>The values collected, position for position with <see cref="SharedNames"/> (valid until the builder's next use).</summary>
    public ReadOnlySpan<FieldValue> Values => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_values);

    /// <summary>The fields collected; the names array is shared with earlier points of the same field names (<see cref="SharedNames"/>).</summary>
    public FieldSet Build() => FieldSet.FromArrays(SharedNames(), [.. _values]);

    // Field names in the same order recur on every point of a payload kind: one array per such list, so points share it
    // and the store numbers a series' fields once per list (SeriesWriter). Keyed by the names' identities: the catalog's
    // names are constants; names read from custom JSON are new strings each time and so are never shared, and the table
    // is emptied when it holds MaxShapes lists.
    private const int MaxShapes = 4_096;
    private readonly Dictionary<int, string[]> _shapes = [];

    /// <summary>The field names collected, as an array shared with earlier points of the same names (must not be changed).</summary>
    public string[] SharedNames()
    {
        var hash = default(HashCode);
        foreach (var name in _names)
        {
            hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(name));
        }

        var key = hash.ToHashCode();
        if (_shapes.TryGetValue(key, out var shared) && SameNames(shared))
        {
            return shared;
        }

        if (_shapes.Count >= MaxShapes)
        {
            _shapes.Clear();
        }

        shared = [.. _names];
        _shapes[key] = shared;
        return shared;
    }

    private bool SameNames(string[] shared)
    {
        if (shared.Length != _names.Count)
        {
            return false;
        }

        for (var i = 0; i < shared.Length; i++)
        {
            if (!ReferenceEquals(shared[i], _names[i]))
            {
                return false;
            }
        }

        return true;
    }
}
