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

        var list = new List<KeyValuePair<string, string>>(2 + Custom.Count)
        {
            new("source_module", SourceModule),
            new("environment", Environment),
        };
        AddIfPresent(list, "region", Region);
        AddIfPresent(list, "model_id", ModelId);
        AddIfPresent(list, "service", Service);
        AddIfPresent(list, "version", Version);
        foreach (var pair in Custom)
        {
            list.Add(pair);
        }

        pairs = [.. list];
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
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

        var a = GetSortedPairs();
        var b = other.GetSortedPairs();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i].Key, b[i].Key, StringComparison.Ordinal) || !string.Equals(a[i].Value, b[i].Value, StringComparison.Ordinal))
            {
                return false;
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
        foreach (var pair in GetSortedPairs())
        {
            combined.Add(pair.Key, StringComparer.Ordinal);
            combined.Add(pair.Value, StringComparer.Ordinal);
        }

        hash = combined.ToHashCode();
        hash = hash == 0 ? 1 : hash;
        _hash = hash;
        return hash;
    }

    private static void AddIfPresent(List<KeyValuePair<string, string>> list, string key, string? value)
    {
        if (value is not null)
        {
            list.Add(new(key, value));
        }
    }
}
