using System.Collections.ObjectModel;
using System.Text.Json.Serialization;
using AnalyticsHub.TimeSeries.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The tags of a time-series point: the known tags and custom ones, all flattened into one JSON
/// object (<c>{"source_module":"llm-observatory","environment":"prod","team":"a"}</c>).
/// Tags are indexed; keep their values low-cardinality (see the cardinality limits of the store).
/// </summary>
/// <remarks>Immutable; equality compares every tag, so a tag set plus a measurement identifies a series.</remarks>
[JsonConverter(typeof(TagSetJsonConverter))]
public sealed class TagSet : IEquatable<TagSet>
{
    /// <summary>The wire names of the known tags, in wire order.</summary>
    public static IReadOnlyList<string> KnownKeys { get; } = ["source_module", "environment", "region", "model_id", "service", "version"];

    private int _hash;
    private KeyValuePair<string, string>[]? _pairs;

    /// <summary>
    /// The first series a time-series store resolved for this tag set, as the store's number and the series id (0 for
    /// none): an inline cache, so the points of one series (which share one tag set, <see cref="TagSetInterner"/>) find
    /// it without hashing. The in-memory store links its other series of equal tags (other measurements) to that one, so
    /// the hint reaches every measurement of the tag set and is not replaced when another measurement's point comes. A
    /// number, not a reference, so a process-wide tag set never keeps a store alive. Whoever reads it checks that it is
    /// theirs and of the point's measurement, and otherwise looks the series up as usual.
    /// </summary>
    internal long SeriesHint { get; set; }

    /// <summary>
    /// The metric keys a <c>metrics</c> stage found for this tag set, as the stage's number and the number of the first
    /// of its entries for the tag set (one per measurement; 0 for none): the same kind of inline cache as
    /// <see cref="SeriesHint"/>, so the points of one series find their metric keys without a table lookup. The stage
    /// that reads it checks that it is its own, and otherwise looks the keys up as usual.
    /// </summary>
    internal long MetricKeysHint { get; set; }

    /// <summary><c>source_module</c>: the producing module's wire name (a plain string here, e.g. <c>llm-observatory</c>).</summary>
    public required string SourceModule { get; init; }

    /// <summary><c>environment</c>: the deployment environment.</summary>
    public required string Environment { get; init; }

    /// <summary><c>region</c>, when known.</summary>
    public string? Region { get; init; }

    /// <summary><c>model_id</c>, when the point is about one model.</summary>
    public string? ModelId { get; init; }

    /// <summary><c>service</c>, when known.</summary>
    public string? Service { get; init; }

    /// <summary><c>version</c>, when known.</summary>
    public string? Version { get; init; }

    /// <summary>Other tags; keys must not repeat a known tag's name.</summary>
    public IReadOnlyDictionary<string, string> Custom { get; init => field = value ?? ReadOnlyDictionary<string, string>.Empty; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Every tag as key/value pairs, sorted by key (ordinal), absent known tags left out.</summary>
    /// <returns>The pairs; the array is cached and must not be changed.</returns>
    internal KeyValuePair<string, string>[] GetSortedPairs()
    {
        var pairs = _pairs;
        if (pairs is not null)
        {
            return pairs;
        }

        var count = 2 + (Region is null ? 0 : 1) + (ModelId is null ? 0 : 1) + (Service is null ? 0 : 1) + (Version is null ? 0 : 1) + Custom.Count;
        pairs = new KeyValuePair<string, string>[count];
        var n = 0;
        pairs[n++] = new("source_module", SourceModule);
        pairs[n++] = new("environment", Environment);
        AddIfPresent(pairs, ref n, "region", Region);
        AddIfPresent(pairs, ref n, "model_id", ModelId);
        AddIfPresent(pairs, ref n, "service", Service);
        AddIfPresent(pairs, ref n, "version", Version);
        if (Custom is PointTagMap map)
        {
            for (var i = 0; i < map.Count; i++)
            {
                pairs[n++] = map.At(i);
            }
        }
        else if (Custom.Count > 0)
        {
            foreach (var pair in Custom)
            {
                pairs[n++] = pair;
            }
        }

        // Insertion sort: a handful of pairs, and no comparer object to allocate.
        for (var i = 1; i < pairs.Length; i++)
        {
            var current = pairs[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(pairs[j].Key, current.Key) > 0)
            {
                pairs[j + 1] = pairs[j];
                j--;
            }

            pairs[j + 1] = current;
        }

        _pairs = pairs;
        return pairs;
    }

    /// <summary>Every tag in a new dictionary, keyed by wire name.</summary>
    /// <returns>The tags.</returns>
    internal Dictionary<string, string> ToDictionary()
    {
        var pairs = GetSortedPairs();
        var result = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary>Looks a tag up by its wire name, known or custom.</summary>
    /// <param name="key">The tag key, e.g. <c>model_id</c> or <c>team</c>.</param>
    /// <param name="value">The value when present.</param>
    /// <returns>Whether the tag is present.</returns>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        value = key switch
        {
            "source_module" => SourceModule,
            "environment" => Environment,
            "region" => Region,
            "model_id" => ModelId,
            "service" => Service,
            "version" => Version,
            _ => Custom.TryGetValue(key, out var custom) ? custom : null,
        };
        return value is not null;
    }

    /// <summary>Whether every filter's tag is present with exactly that value (ordinal); no filters match every set.</summary>
    /// <param name="filters">Tag keys and the values they must have, or null.</param>
    internal bool HasAll(IReadOnlyDictionary<string, string>? filters)
    {
        if (filters is null)
        {
            return true;
        }

        foreach (var (key, value) in filters)
        {
            if (!TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a key is one of the known tags.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> for <c>source_module</c>, <c>environment</c>, <c>region</c>, <c>model_id</c>, <c>service</c>, <c>version</c>.</returns>
    public static bool IsKnownKey(string key) =>
        key is "source_module" or "environment" or "region" or "model_id" or "service" or "version";

    /// <inheritdoc/>
    public bool Equals(TagSet? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || GetHashCode() != other.GetHashCode())
        {
            return false;
        }

        // The known tags by field, the custom ones by lookup (both are sets of distinct keys), so comparing two tag
        // sets sorts and allocates nothing; a custom key that repeats a known one (which the store rejects) only compares unequal.
        if (!string.Equals(SourceModule, other.SourceModule, StringComparison.Ordinal)
            || !string.Equals(Environment, other.Environment, StringComparison.Ordinal)
            || !string.Equals(Region, other.Region, StringComparison.Ordinal)
            || !string.Equals(ModelId, other.ModelId, StringComparison.Ordinal)
            || !string.Equals(Service, other.Service, StringComparison.Ordinal)
            || !string.Equals(Version, other.Version, StringComparison.Ordinal)
            || Custom.Count != other.Custom.Count)
        {
            return false;
        }

        if (Custom is PointTagMap map)
        {
            for (var i = 0; i < map.Count; i++)
            {
                var (key, value) = map.At(i);
                if (!other.Custom.TryGetValue(key, out var theirs) || !string.Equals(value, theirs, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }
        else if (Custom.Count > 0)
        {
            foreach (var (key, value) in Custom)
            {
                if (!other.Custom.TryGetValue(key, out var theirs) || !string.Equals(value, theirs, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TagSet other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = _hash;
        if (hash != 0)
        {
            return hash;
        }

        var combined = default(HashCode);
        combined.Add(SourceModule, StringComparer.Ordinal);
        combined.Add(Environment, StringComparer.Ordinal);
        combined.Add(Region, StringComparer.Ordinal);
        combined.Add(ModelId, StringComparer.Ordinal);
        combined.Add(Service, StringComparer.Ordinal);
        combined.Add(Version, StringComparer.Ordinal);

        // Custom tags in any order: a commutative sum of each pair's hash.
        var custom = 0;
        if (Custom is PointTagMap map)
        {
            for (var i = 0; i < map.Count; i++)
            {
                custom += PairHash(map.At(i));
            }
        }
        else if (Custom.Count > 0)
        {
            foreach (var pair in Custom)
            {
                custom += PairHash(pair);
            }
        }

        combined.Add(custom);
        hash = combined.ToHashCode();
        hash = hash == 0 ? 1 : hash;
        _hash = hash;
        return hash;
    }

    private static int PairHash(KeyValuePair<string, string> pair) =>
        HashCode.Combine(StringComparer.Ordinal.GetHashCode(pair.Key), pair.Value is null ? 0 : StringComparer.Ordinal.GetHashCode(pair.Value));

    private static void AddIfPresent(KeyValuePair<string, string>[] pairs, ref int n, string key, string? value)
    {
        if (value is not null)
        {
            pairs[n++] = new(key, value);
        }
    }
}
