using System.Globalization;
using AnalyticsHub.Evaluation.Hosting;
using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Evaluation.Metrics;

/// <summary>
/// <c>metric-runs [events] [batch]</c>: how long the runs are that the <c>metrics</c> stage hands the aggregator on the
/// pinned mix — per batch, the numeric values of one metric series (measurement, field and the default dimensions) that
/// fall into one finest window — beside the runs the batch's columns group by (measurement, all tags, field). Counts
/// only, no timing; the hub's batches hold at most the harness's 1,000 events (the pipeline takes up to 1,024).
/// </summary>
internal static class MetricRunsCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        var events = PinnedMixWorkload.Create(count, new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
        var finest = MetricsStageOptions.DefaultWindows.Min();
        var dimensions = MetricsStageOptions.DefaultDimensions;
        var byMetric = new Histogram();
        var byColumnSeries = new Histogram();
        var metricRuns = new Dictionary<(string Metric, string Identity, long Window), int>();
        var columnRuns = new Dictionary<(int Series, string Field, long Window), int>();
        for (var start = 0; start < events.Length; start += batch)
        {
            var size = Math.Min(batch, events.Length - start);
            var columns = new PointColumns(size);
            PointExtractor.ExtractAll(new ArraySegment<AnalyticsEvent>(events, start, size), columns);
            columns.Complete();
            metricRuns.Clear();
            columnRuns.Clear();
            for (var row = 0; row < columns.Count; row++)
            {
                var series = columns.SeriesOf(row);
                var tags = columns.Tags(series);
                var identity = string.Join('|', dimensions.Select(d => tags.TryGetValue(d, out var v) ? v : string.Empty));
                var window = finest.GetWindowStart(columns.Timestamp(row)).UtcTicks;
                var names = columns.FieldNames(row);
                var values = columns.FieldValues(row);
                for (var i = 0; i < names.Length; i++)
                {
                    if (values[i].Kind is FieldValueKind.String or FieldValueKind.Boolean || !values[i].TryGetDouble(out _))
                    {
                        continue;
                    }

                    var metric = columns.Measurement(series) + "." + names[i];
                    CountValue(metricRuns, (metric, identity, window));
                    CountValue(columnRuns, (series, names[i], window));
                }
            }

            byMetric.AddAll(metricRuns.Values);
            byColumnSeries.AddAll(columnRuns.Values);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pinned mix, {count:N0} events in batches of {batch:N0}; finest window {finest.ToLabel()}; dimensions {string.Join(", ", dimensions)}"));
        byMetric.Print("runs by metric series (what the metrics stage records)");
        byColumnSeries.Print("runs by column series (measurement + every tag, field)");
        return Task.FromResult(0);
    }

    private static void CountValue<TKey>(Dictionary<TKey, int> runs, TKey key)
        where TKey : notnull
    {
        ref var length = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(runs, key, out _);
        length++;
    }

    private sealed class Histogram
    {
        private readonly SortedDictionary<int, long> _runsByLength = [];
        private long _runs;
        private long _values;

        public void AddAll(IEnumerable<int> lengths)
        {
            foreach (var length in lengths)
            {
                _runsByLength[length] = _runsByLength.GetValueOrDefault(length) + 1;
                _runs++;
                _values += length;
            }
        }

        public void Print(string title)
        {
            long valuesInRunsOfOne = _runsByLength.GetValueOrDefault(1);
            long valuesInLongRuns = _runsByLength.Where(p => p.Key >= 8).Sum(p => (long)p.Key * p.Value);
            var median = MedianValueRun();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {_values:N0} values in {_runs:N0} runs, mean {_values / (double)_runs:F2} values per run"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  values in runs of 1: {valuesInRunsOfOne / (double)_values:P1}; in runs of 8 or more: {valuesInLongRuns / (double)_values:P1}; a value's run, median: {median}"));
            Console.WriteLine("  runs by length: " + string.Join(", ", _runsByLength.Take(24).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}:{p.Value}"))) + (_runsByLength.Count > 24 ? ", ..." : string.Empty));
        }

        /// <summary>The run length that the median value belongs to.</summary>
        private int MedianValueRun()
        {
            long seen = 0;
            foreach (var (length, runs) in _runsByLength)
            {
                seen += length * runs;
                if (seen * 2 >= _values)
                {
                    return length;
                }
            }

            return 0;
        }
    }
}
