using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Metrics;

/// <summary>
/// The metric → time-series point mapping (the seed's <c>to_fields</c>) and the checks a metric passes before it is
/// ingested. A point's measurement is the metric's name, its timestamp the metric's, its tags the metric's tag map
/// (<c>source_module</c> and <c>environment</c> required, as on every point).
/// </summary>
/// <remarks>
/// Fields: a counter gives <c>value</c> (unsigned) and <c>rate</c> when known; a gauge <c>value</c>,
/// <c>previous_value</c> and <c>delta</c> when known; a histogram or a summary the statistics <c>avg</c>, <c>min</c>,
/// <c>max</c>, <c>p50</c>, <c>p95</c>, <c>p99</c>, <c>stddev</c> (when present), <c>count</c>, <c>sum</c>; a histogram also
/// one field per bucket, <c>bucket_le_&lt;upper_bound&gt;</c> holding that bucket's own count (decision 13: per bucket,
/// not cumulative), and a summary one field per extra percentile, <c>quantile_&lt;key&gt;</c> (e.g. <c>quantile_p99.9</c>).
/// </remarks>
public static class MetricPoints
{
    /// <summary>The longest metric name accepted.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The fields of a metric's point.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The fields.</returns>
    public static FieldSet ToFields(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var fields = new List<KeyValuePair<string, FieldValue>>();
        switch (metric)
        {
            case CounterMetric counter:
                fields.Add(new("value", FieldValue.FromUInt64(counter.Value)));
                AddIfPresent(fields, "rate", counter.Rate);
                break;
            case GaugeMetric gauge:
                fields.Add(new("value", FieldValue.FromDouble(gauge.Value)));
                AddIfPresent(fields, "previous_value", gauge.PreviousValue);
                AddIfPresent(fields, "delta", gauge.PreviousValue is { } previous ? gauge.Value - previous : null);
                break;
            case HistogramMetric histogram:
                AddStats(fields, histogram.Stats);
                foreach (var bucket in histogram.Buckets)
                {
                    fields.Add(new(BucketField(bucket.UpperBound), FieldValue.FromUInt64(bucket.Count)));
                }

                break;
            case SummaryMetric summary:
                AddStats(fields, summary.Stats);
                foreach (var (key, value) in summary.Percentiles ?? new Dictionary<string, double>())
                {
                    fields.Add(new("quantile_" + key, FieldValue.FromDouble(value)));
                }

                break;
            default:
                throw new ArgumentException($"Unknown metric type {metric.GetType().Name}.", nameof(metric));
        }

        return new FieldSet(fields);
    }

    /// <summary>The point of a metric (validate it first: <see cref="Validate"/>).</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The point.</returns>
    /// <exception cref="ArgumentException">The metric's tags lack <c>source_module</c> or <c>environment</c>.</exception>
    public static TimeSeriesPoint ToPoint(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!metric.Tags.TryGetValue("source_module", out var module) || !metric.Tags.TryGetValue("environment", out var environment))
        {
            throw new ArgumentException("A metric's tags need source_module and environment.", nameof(metric));
        }

        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metric.Tags)
        {
            if (!TagSet.IsKnownKey(key))
            {
                custom[key] = value;
            }
        }

        return new TimeSeriesPoint
        {
            Measurement = metric.Name,
            Timestamp = metric.Timestamp,
            Tags = new TagSet
            {
                SourceModule = module,
                Environment = environment,
                Region = metric.Tags.GetValueOrDefault("region"),
                ModelId = metric.Tags.GetValueOrDefault("model_id"),
                Service = metric.Tags.GetValueOrDefault("service"),
                Version = metric.Tags.GetValueOrDefault("version"),
                Custom = custom,
            },
            Fields = ToFields(metric),
        };
    }

    /// <summary>Checks a metric before ingestion.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="path">The JSON path of the metric, e.g. <c>$[3]</c>.</param>
    /// <returns>
    /// The problems, each with a code and the JSON path of the offending value: <c>empty_value</c> / <c>invalid_name</c>
    /// (name), <c>missing_field</c> (<c>tags.source_module</c>, <c>tags.environment</c>), <c>invalid_tag</c> (an empty tag key or
    /// value), <c>invalid_timestamp</c> (no timestamp), <c>non_finite_number</c>, <c>negative_value</c> (a rate),
    /// <c>not_ordered</c> (bucket bounds, or min above max), <c>invalid_percentile</c> (a summary key that is not
    /// <c>p</c> and a number in 0..100) and <c>validation_error</c> (bucket counts that do not add up to the count).
    /// </returns>
    public static IReadOnlyList<Problem> Validate(Metric metric, string path = "$")
    {
        ArgumentNullException.ThrowIfNull(metric);
        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(metric.Name))
        {
            problems.Add(new(ProblemCodes.EmptyValue, path + ".name", "The metric needs a name."));
        }
        else if (metric.Name.Length > MaxNameLength)
        {
            problems.Add(new(ProblemCodes.InvalidName, path + ".name", $"The name is longer than {MaxNameLength} characters."));
        }

        foreach (var required in (string[])["source_module", "environment"])
        {
            if (!metric.Tags.TryGetValue(required, out var value) || string.IsNullOrEmpty(value))
            {
                problems.Add(new(ProblemCodes.MissingField, $"{path}.tags.{required}", $"The tag {required} is required: it places the metric's point."));
            }
        }

        foreach (var (key, value) in metric.Tags)
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                problems.Add(new(ProblemCodes.InvalidTag, path + ".tags", "Tag keys must not be empty and values not null."));
                break;
            }
        }

        if (metric.Timestamp == default)
        {
            problems.Add(new(ProblemCodes.InvalidTimestamp, path + ".timestamp", "The metric needs a timestamp."));
        }

        switch (metric)
        {
            case CounterMetric { Rate: { } rate }:
                Finite(problems, path + ".rate", rate);
                if (rate < 0)
                {
                    problems.Add(new(ProblemCodes.NegativeValue, path + ".rate", "A counter's rate is not negative."));
                }

                break;
            case GaugeMetric gauge:
                Finite(problems, path + ".value", gauge.Value);
                if (gauge.PreviousValue is { } previous)
                {
                    Finite(problems, path + ".previous_value", previous);
                }

                break;
            case HistogramMetric histogram:
                ValidateStats(problems, path + ".stats", histogram.Stats);
                ValidateBuckets(problems, path, histogram);
                break;
            case SummaryMetric summary:
                ValidateStats(problems, path + ".stats", summary.Stats);
                foreach (var (key, value) in summary.Percentiles ?? new Dictionary<string, double>())
                {
                    var keyPath = $"{path}.percentiles.{key}";
                    if (key.Length < 2 || key[0] != 'p' || !double.TryParse(key.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var q) || q is < 0 or > 100)
                    {
                        problems.Add(new(ProblemCodes.InvalidPercentile, keyPath, "A percentile key is 'p' and a number from 0 to 100, e.g. p99.9."));
                    }

                    Finite(problems, keyPath, value);
                }

                break;
            default:
                break;
        }

        return problems;
    }

    private static void ValidateBuckets(List<Problem> problems, string path, HistogramMetric histogram)
    {
        ulong total = 0;
        for (var i = 0; i < histogram.Buckets.Count; i++)
        {
            var bound = histogram.Buckets[i].UpperBound;
            var boundPath = $"{path}.buckets[{i.ToString(CultureInfo.InvariantCulture)}].upper_bound";
            Finite(problems, boundPath, bound);
            if (i > 0 && !(bound > histogram.Buckets[i - 1].UpperBound))
            {
                problems.Add(new(ProblemCodes.NotOrdered, boundPath, "Bucket upper bounds increase strictly."));
            }

            total += histogram.Buckets[i].Count;
        }

        if (histogram.Buckets.Count > 0 && total != histogram.Stats.Count)
        {
            problems.Add(new(ProblemCodes.ValidationError, path + ".buckets",
                $"The bucket counts add up to {total}, the statistics count {histogram.Stats.Count} (counts are per bucket, not cumulative)."));
        }
    }

    private static void ValidateStats(List<Problem> problems, string path, StatisticalMeasures stats)
    {
        Finite(problems, path + ".avg", stats.Avg);
        Finite(problems, path + ".min", stats.Min);
        Finite(problems, path + ".max", stats.Max);
        Finite(problems, path + ".p50", stats.P50);
        Finite(problems, path + ".p95", stats.P95);
        Finite(problems, path + ".p99", stats.P99);
        Finite(problems, path + ".sum", stats.Sum);
        if (stats.StdDev is { } stddev)
        {
            Finite(problems, path + ".stddev", stddev);
        }

        if (stats.Count > 0 && stats.Min > stats.Max)
        {
            problems.Add(new(ProblemCodes.NotOrdered, path + ".min", "The minimum is above the maximum."));
        }
    }

    private static void Finite(List<Problem> problems, string path, double value)
    {
        if (!double.IsFinite(value))
        {
            problems.Add(new(ProblemCodes.NonFiniteNumber, path, "Numbers must be finite."));
        }
    }

    private static void AddStats(List<KeyValuePair<string, FieldValue>> fields, StatisticalMeasures stats)
    {
        fields.Add(new("avg", FieldValue.FromDouble(stats.Avg)));
        fields.Add(new("min", FieldValue.FromDouble(stats.Min)));
        fields.Add(new("max", FieldValue.FromDouble(stats.Max)));
        fields.Add(new("p50", FieldValue.FromDouble(stats.P50)));
        fields.Add(new("p95", FieldValue.FromDouble(stats.P95)));
        fields.Add(new("p99", FieldValue.FromDouble(stats.P99)));
        AddIfPresent(fields, "stddev", stats.StdDev);
        fields.Add(new("count", FieldValue.FromUInt64(stats.Count)));
        fields.Add(new("sum", FieldValue.FromDouble(stats.Sum)));
    }

    private static void AddIfPresent(List<KeyValuePair<string, FieldValue>> fields, string name, double? value)
    {
        if (value is { } v)
        {
            fields.Add(new(name, FieldValue.FromDouble(v)));
        }
    }

    /// <summary>The field of a histogram bucket: <c>bucket_le_</c> and the bound in the shortest round-trip form.</summary>
    internal static string BucketField(double upperBound) => "bucket_le_" + upperBound.ToString("R", CultureInfo.InvariantCulture);
}
