using System.Globalization;
using System.Text;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Metrics;

/// <summary>An interned metric series: a metric name and a tag set, with its <see cref="MetricKey"/>.</summary>
public sealed class MetricSeries
{
    internal MetricSeries(MetricKey key, string name, IReadOnlyDictionary<string, string> tags)
    {
        Key = key;
        Name = name;
        Tags = tags;
    }

    /// <summary>Gets the key to record with.</summary>
    public MetricKey Key { get; }

    /// <summary>Gets the metric name.</summary>
    public string Name { get; }

    /// <summary>Gets the tags, ordered by key (ordinal).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder(Name);
        foreach (var pair in Tags)
        {
            text.Append(CultureInfo.InvariantCulture, $",{pair.Key}={pair.Value}");
        }

        return text.ToString();
    }

    /// <summary>Builds the unambiguous identity text of a name and tag set (length-prefixed, tags sorted) and the sorted tag copy.</summary>
    internal static string Identity(string name, IReadOnlyDictionary<string, string>? tags, out IReadOnlyDictionary<string, string> sortedTags)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{name.Length}:{name}");
        if (tags is null || tags.Count == 0)
        {
            sortedTags = Metric.EmptyTags;
            return text.ToString();
        }

        var keys = new string[tags.Count];
        var i = 0;
        foreach (var pair in tags)
        {
            keys[i++] = pair.Key;
        }

        Array.Sort(keys, StringComparer.Ordinal);
        var copy = new Dictionary<string, string>(keys.Length, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var value = tags[key];
            text.Append(CultureInfo.InvariantCulture, $"|{key.Length}:{key}{value.Length}:{value}");
            copy.Add(key, value);
        }

        sortedTags = new SortedTagMap(copy);
        return text.ToString();
    }
}
