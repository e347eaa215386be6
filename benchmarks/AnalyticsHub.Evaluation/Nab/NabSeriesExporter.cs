using System.Globalization;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>
/// Turns the affected series of a ground truth into a NAB-format folder (<c>data/&lt;category&gt;/&lt;name&gt;.csv</c>
/// plus <c>windows.json</c>, as <see cref="NabLoader"/> reads it), so the <c>nab</c> command can score
/// detectors on simulated series. Feed it the stream's events with <see cref="Observe"/>, then call <see cref="Write"/>.
/// </summary>
/// <remarks>
/// Each series is bucketed (one minute by default) over the whole timeline: <c>sum</c> buckets without
/// events are 0, <c>mean</c> and <c>max</c> buckets without events are left out. Windows snap to bucket
/// starts and overlapping windows of one series merge. Memory is series × buckets. Not thread-safe.
/// </remarks>
public sealed class NabSeriesExporter
{
    private readonly List<Entry> _entries = [];
    private readonly long _start;
    private readonly long _bucket;
    private readonly int _buckets;

    /// <summary>Creates an exporter for the incidents' and distractors' series of <paramref name="truth"/>.</summary>
    /// <param name="truth">The truth, e.g. <see cref="TrafficSimulation.PlannedGroundTruth"/> before streaming.</param>
    /// <param name="bucket">The bucket width; one minute by default.</param>
    public NabSeriesExporter(GroundTruth truth, TimeSpan? bucket = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        _bucket = (bucket ?? TimeSpan.FromMinutes(1)).Ticks;
        ArgumentOutOfRangeException.ThrowIfLessThan(_bucket, TimeSpan.TicksPerSecond, nameof(bucket));
        _start = truth.Start.UtcTicks / _bucket * _bucket;
        _buckets = (int)((truth.End.UtcTicks - _start) / _bucket) + 1;
        foreach (var incident in truth.Incidents)
        {
            foreach (var series in incident.AffectedSeries)
            {
                Add(incident.Template, series);
            }
        }

        foreach (var distractor in truth.Distractors)
        {
            foreach (var series in distractor.AffectedSeries)
            {
                Add("distractor", series);
            }
        }
    }

    /// <summary>How many distinct series are exported.</summary>
    public int SeriesCount => _entries.Count;

    /// <summary>Adds one event to every series it belongs to.</summary>
    public void Observe(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var index = (evt.Timestamp.UtcTicks - _start) / _bucket;
        if (index < 0 || index >= _buckets)
        {
            return;
        }

        var subtype = evt.Payload.Subtype;
        for (var i = 0; i < _entries.Count; i++)
        {
            var entry = _entries[i];
            if (!string.Equals(entry.Series.Measurement, subtype, StringComparison.Ordinal) || !Matches(entry.Series, evt)
                || !TryField(evt.Payload, entry.Series.Field, out var value))
            {
                continue;
            }

            entry.Sum[index] += value;
            entry.Count[index]++;
            entry.Max[index] = entry.Count[index] == 1 ? value : Math.Max(entry.Max[index], value);
        }
    }

    /// <summary>Writes <c>data/&lt;category&gt;/&lt;name&gt;.csv</c> per series and <c>windows.json</c> into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var windows = new SortedDictionary<string, List<(long Start, long End)>>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            var name = FileName(entry.Series);
            var key = entry.Category + "/" + name + ".csv";
            for (var n = 2; !names.Add(key); n++)
            {
                key = entry.Category + "/" + name + "-" + n.ToString(CultureInfo.InvariantCulture) + ".csv";
            }

            var path = Path.Combine(folder, NabLoader.DataFolderName, entry.Category, Path.GetFileName(key));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var rows = WriteCsv(path, entry);
            windows[key] = MapWindows(entry, rows);
        }

        using var stream = File.Create(Path.Combine(folder, NabLoader.WindowsFileName));
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        foreach (var (key, list) in windows)
        {
            writer.WriteStartArray(key);
            foreach (var (start, end) in list)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(Format(start) + ".000000");
                writer.WriteStringValue(Format(end) + ".000000");
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private void Add(string category, AffectedSeries series)
    {
        foreach (var entry in _entries)
        {
            if (SameSeries(entry.Series, series))
            {
                entry.Windows.AddRange(series.Windows);
                return;
            }
        }

        var added = new Entry(category, series, _buckets);
        added.Windows.AddRange(series.Windows);
        _entries.Add(added);
    }

    private bool[] WriteCsv(string path, Entry entry)
    {
        var rows = new bool[_buckets];
        var text = new StringBuilder(_buckets * 32);
        text.Append("timestamp,value\n");
        var aggregation = entry.Series.Aggregation;
        for (var i = 0; i < _buckets; i++)
        {
            double value;
            if (string.Equals(aggregation, "sum", StringComparison.Ordinal))
            {
                value = entry.Sum[i];
            }
            else if (entry.Count[i] == 0)
            {
                continue;
            }
            else
            {
                value = string.Equals(aggregation, "max", StringComparison.Ordinal) ? entry.Max[i] : entry.Sum[i] / entry.Count[i];
            }

            rows[i] = true;
            text.Append(Format(_start + (i * _bucket))).Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return rows;
    }

    private List<(long Start, long End)> MapWindows(Entry entry, bool[] rows)
    {
        var snapped = new List<(long Start, long End)>();
        foreach (var window in entry.Windows)
        {
            var first = Math.Max(0, (window.Start.UtcTicks - _start) / _bucket);
            var last = Math.Min(_buckets - 1, Math.Max(first, (window.End.UtcTicks - _start) / _bucket));
            while (first <= last && !rows[first])
            {
                first++;
            }

            while (last >= first && !rows[last])
            {
                last--;
            }

            if (first <= last)
            {
                snapped.Add((first, last));
            }
        }

        snapped.Sort();
        var merged = new List<(long Start, long End)>();
        foreach (var (first, last) in snapped)
        {
            if (merged.Count > 0 && first <= merged[^1].End + 1)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, last));
            }
            else
            {
                merged.Add((first, last));
            }
        }

        for (var i = 0; i < merged.Count; i++)
        {
            merged[i] = (_start + (merged[i].Start * _bucket), _start + (merged[i].End * _bucket));
        }

        return merged;
    }

    /// <summary>Whether <paramref name="evt"/> carries every tag of <paramref name="series"/> (model and policy ids from the payload).</summary>
    internal static bool Matches(AffectedSeries series, AnalyticsEvent evt)
    {
        foreach (var (key, expected) in series.Tags)
        {
            string? actual;
            if (string.Equals(key, "model_id", StringComparison.Ordinal))
            {
                actual = evt.Payload switch
                {
                    TelemetryPayload t => t.ModelId,
                    TokenCostEvent c => c.ModelId,
                    _ => null,
                };
            }
            else if (string.Equals(key, "policy_id", StringComparison.Ordinal) && evt.Payload is PolicyViolationEvent p)
            {
                actual = p.PolicyId;
            }
            else
            {
                evt.Common.Tags.TryGetValue(key, out actual);
            }

            if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a numeric payload field by its wire name; <c>count</c> is 1 for every event.</summary>
    internal static bool TryField(EventPayload payload, string field, out double value)
    {
        value = payload switch
        {
            _ when field == "count" => 1,
            LatencyMetrics l when field == "total_latency_ms" => l.TotalLatencyMs,
            LatencyMetrics l when field == "ttft_ms" && l.TtftMs is { } ttft => ttft,
            TokenUsageMetrics u when field == "prompt_tokens" => u.PromptTokens,
            TokenUsageMetrics u when field == "completion_tokens" => u.CompletionTokens,
            TokenUsageMetrics u when field == "total_tokens" => u.TotalTokens,
            TokenCostEvent c when field == "total_cost_usd" => c.TotalCostUsd,
            TokenCostEvent c when field == "total_tokens" => c.TotalTokens,
            ErrorRateMetrics e when field == "error_rate_percent" => e.ErrorRatePercent,
            ErrorRateMetrics e when field == "failed_requests" => e.FailedRequests,
            ErrorRateMetrics e when field == "total_requests" => e.TotalRequests,
            ThroughputMetrics t when field == "requests_per_second" => t.RequestsPerSecond,
            ThroughputMetrics t when field == "tokens_per_second" => t.TokensPerSecond,
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }

    private static bool SameSeries(AffectedSeries a, AffectedSeries b)
    {
        if (a.Measurement != b.Measurement || a.Field != b.Field || a.Aggregation != b.Aggregation || a.Tags.Count != b.Tags.Count)
        {
            return false;
        }

        foreach (var (key, value) in a.Tags)
        {
            if (!b.Tags.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    private static string FileName(AffectedSeries series)
    {
        var name = new StringBuilder(series.Measurement).Append('.').Append(series.Field);
        foreach (var (_, value) in series.Tags)
        {
            name.Append('.').Append(value);
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                name[i] = '_';
            }
        }

        return name.ToString();
    }

    private static string Format(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private sealed class Entry(string category, AffectedSeries series, int buckets)
    {
        public string Category { get; } = category;

        public AffectedSeries Series { get; } = series;

        public List<TruthWindow> Windows { get; } = [];

        public double[] Sum { get; } = new double[buckets];

        public long[] Count { get; } = new long[buckets];

        public double[] Max { get; } = new double[buckets];
    }
}
