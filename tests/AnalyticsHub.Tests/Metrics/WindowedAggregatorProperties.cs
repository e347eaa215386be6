using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Metrics;

public class WindowedAggregatorProperties
{
    private static readonly DateTimeOffset T0 = new(2024, 2, 28, 22, 0, 0, TimeSpan.Zero);
    private static readonly TimeWindow[] Levels = [TimeWindow.OneMinute, TimeWindow.FiveMinutes, TimeWindow.FifteenMinutes, TimeWindow.OneHour, TimeWindow.SixHours, TimeWindow.OneDay];

    private readonly record struct Point(int Series, DateTimeOffset Time, double Value);

    private static Point[] Points(byte kind, int seed, ushort length, int seriesCount, TimeSpan span)
    {
        var values = ValueSets.Create(kind, seed, length);
        var random = new Random(seed);
        var points = new Point[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            points[i] = new Point(random.Next(seriesCount), T0.AddTicks((long)(random.NextDouble() * span.Ticks)), values[i]);
        }

        return points;
    }

    private static CollectingWindowSink Run(IEnumerable<Point> points, TimeSpan lateness, TimeWindow[] windows)
    {
        var sink = new CollectingWindowSink();
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { Windows = windows, AllowedLateness = lateness }, sink);
        var keys = new MetricKey[3];
        for (var s = 0; s < keys.Length; s++)
        {
            Assert.True(aggregator.TryGetKey("m", new Dictionary<string, string> { ["s"] = s.ToString() }, out keys[s]));
        }

        foreach (var point in points)
        {
            Assert.Equal(RecordStatus.Recorded, aggregator.Record(keys[point.Series], point.Time, point.Value));
        }

        aggregator.Flush();
        return sink;
    }

    private static void AssertSameWindow(CollectingWindowSink.Captured expected, CollectingWindowSink.Captured actual, double sumAbs, double sumSquares)
    {
        Assert.Equal(expected.Stats.Count, actual.Stats.Count);
        Assert.Equal(expected.Stats.Min, actual.Stats.Min);
        Assert.Equal(expected.Stats.Max, actual.Stats.Max);
        Assert.True(expected.Sketch.ContentEquals(actual.Sketch), $"sketch buckets differ in {expected.Id}");
        Assert.True(Math.Abs(expected.Stats.Sum - actual.Stats.Sum) <= 1e-9 * sumAbs, $"sum {expected.Stats.Sum:R} vs {actual.Stats.Sum:R} in {expected.Id}");
        Assert.True(
            Math.Abs(expected.Stats.SumOfSquaredDeviations - actual.Stats.SumOfSquaredDeviations) <= 1e-9 * sumSquares,
            $"M2 {expected.Stats.SumOfSquaredDeviations:R} vs {actual.Stats.SumOfSquaredDeviations:R} in {expected.Id}");
    }

    private static (double SumAbs, double SumSquares) Magnitudes(IEnumerable<Point> points) =>
        (points.Sum(p => Math.Abs(p.Value)), points.Sum(p => p.Value * p.Value));

    [Property(MaxTest = 60)]
    public void Rollup_AnyPoints_EqualsDirectAggregationOfEachWindow(byte kind, int seed, ushort length)
    {
        var points = Points(kind, seed, length, 3, TimeSpan.FromHours(30));
        Array.Sort(points, (a, b) => a.Time.CompareTo(b.Time));
        var sink = Run(points, TimeSpan.Zero, Levels);

        foreach (var window in Levels)
        {
            var direct = points
                .GroupBy(p => (p.Series, Start: window.GetWindowStart(p.Time)))
                .ToDictionary(g => $"m,s={g.Key.Series}|{window}|{g.Key.Start:O}", g => g.ToList());
            var produced = sink.Of(window).ToList();
            Assert.Equal(direct.Count, produced.Count);
            foreach (var actual in produced)
            {
                var inWindow = direct[actual.Id];
                var stats = default(StreamingStats);
                var sketch = new QuantileSketch();
                foreach (var point in inWindow)
                {
                    stats.TryAdd(point.Value);
                    sketch.TryAdd(point.Value);
                }

                var expected = actual with { Stats = stats, Sketch = sketch };
                Assert.Equal(window.GetWindowRange(actual.Start).End, actual.End);
                var (sumAbs, sumSquares) = Magnitudes(inWindow);
                AssertSameWindow(expected, actual, sumAbs, sumSquares);
            }
        }
    }

    [Property(MaxTest = 60)]
    public void Record_AnyOrderWithinLateness_GivesTheSameWindows(byte kind, int seed, ushort length)
    {
        var span = TimeSpan.FromMinutes(150);
        var points = Points(kind, seed, length, 3, span);
        var sorted = points.OrderBy(p => p.Time).ToArray();
        var shuffled = points.OrderBy(_ => Random.Shared.Next()).ToArray();
        var windows = new[] { TimeWindow.OneMinute, TimeWindow.FifteenMinutes, TimeWindow.OneHour };

        var inOrder = Run(sorted, span, windows).Windows.ToDictionary(w => w.Id);
        var replayed = Run(shuffled, span, windows).Windows;

        var (sumAbs, sumSquares) = Magnitudes(points);
        Assert.Equal(inOrder.Count, replayed.Count);
        foreach (var window in replayed)
        {
            AssertSameWindow(inOrder[window.Id], window, sumAbs, sumSquares);
        }
    }

    [Property(MaxTest = 40)]
    public void Record_DisorderBeyondLateness_EveryPointRecordedOrCountedLate(int seed, ushort length)
    {
        var random = new Random(seed);
        var sink = new CollectingWindowSink();
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { AllowedLateness = TimeSpan.FromSeconds(30) }, sink);
        Assert.True(aggregator.TryGetKey("m", null, out var key));
        var n = 1 + (length % 3000);
        long recorded = 0, late = 0;
        var time = T0;
        for (var i = 0; i < n; i++)
        {
            time = time.AddSeconds(random.Next(0, 5));
            var status = aggregator.Record(key, time.AddSeconds(-random.Next(0, 120)), 1);
            if (status == RecordStatus.Recorded)
            {
                recorded++;
            }
            else
            {
                Assert.Equal(RecordStatus.Late, status);
                late++;
            }
        }

        aggregator.Flush();
        Assert.Equal(n, recorded + late);
        Assert.Equal(late, aggregator.GetLateCount(key));
        Assert.Equal((ulong)recorded, sink.Of(TimeWindow.OneMinute).Aggregate(0UL, (c, w) => c + w.Stats.Count));
        Assert.Equal((ulong)recorded, sink.Of(TimeWindow.OneHour).Aggregate(0UL, (c, w) => c + w.Stats.Count));
    }

    /// <summary>
    /// Points recorded in arrival order through <c>RecordAll</c>, in calls of any sizes, give what recording them one by
    /// one gives: the same statuses, the same windows delivered in the same order and close passes, bit for bit
    /// (statistics' stored parts, sketch bytes), the same counters. The points cross minute boundaries inside a series'
    /// run, arrive out of order (some beyond the lateness) and include non-finite values and keys never issued.
    /// </summary>
    [Property(MaxTest = 100)]
    public void RecordAll_AnySplitIntoCalls_SameAsOneByOne(byte kind, int seed, ushort length, byte latenessSeconds, bool multipleWriters)
    {
        var values = ValueSets.Create(kind, seed, length);
        var random = new Random(seed);
        var windows = new[] { TimeWindow.OneMinute, TimeWindow.FiveMinutes, TimeWindow.OneHour };
        var lateness = TimeSpan.FromSeconds(latenessSeconds % 90);
        var times = new long[values.Length];
        var series = new int[values.Length];
        var time = T0.UtcTicks;
        for (var i = 0; i < values.Length; i++)
        {
            time += TimeSpan.FromMilliseconds(random.Next(0, 2_000)).Ticks;
            times[i] = time - (random.Next(8) == 0 ? TimeSpan.FromSeconds(random.Next(0, 150)).Ticks : 0);
            series[i] = random.Next(5);
            if (random.Next(50) == 0)
            {
                values[i] = double.NaN;
            }
        }

        (CollectingWindowSink Sink, WindowedAggregator Aggregator, MetricKey[] Keys) Create()
        {
            var sink = new CollectingWindowSink();
            var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { Windows = windows, AllowedLateness = lateness }, sink, singleWriter: !multipleWriters);
            var keys = new MetricKey[5];
            for (var s = 0; s < 4; s++)
            {
                Assert.True(aggregator.TryGetKey("m", new Dictionary<string, string> { ["s"] = s.ToString() }, out keys[s]));
            }

            keys[4] = new MetricKey(77); // never issued: UnknownKey
            return (sink, aggregator, keys);
        }

        var one = Create();
        var expected = default(WindowedAggregator.RecordCounts);
        for (var i = 0; i < values.Length; i++)
        {
            expected.Add(one.Aggregator.Record(one.Keys[series[i]], new DateTimeOffset(times[i], TimeSpan.Zero), values[i]));
        }

        var all = Create();
        var keysInOrder = series.Select(s => all.Keys[s]).ToArray();
        var actual = default(WindowedAggregator.RecordCounts);
        for (var start = 0; start < values.Length;)
        {
            var end = Math.Min(values.Length, start + 1 + random.Next(random.Next(2) == 0 ? 8 : 600));
            var counts = all.Aggregator.RecordAll(keysInOrder.AsSpan(start, end - start), times.AsSpan(start, end - start), values.AsSpan(start, end - start));
            (actual.Recorded, actual.Late, actual.InvalidValue, actual.UnknownKey) =
                (actual.Recorded + counts.Recorded, actual.Late + counts.Late, actual.InvalidValue + counts.InvalidValue, actual.UnknownKey + counts.UnknownKey);
            start = end;
        }

        Assert.Equal(expected, actual);
        Assert.Equal(one.Aggregator.GetStatistics(), all.Aggregator.GetStatistics());
        Assert.Equal(Delivered(one.Sink), Delivered(all.Sink));
        one.Aggregator.Flush();
        all.Aggregator.Flush();
        Assert.Equal(Delivered(one.Sink), Delivered(all.Sink));
        Assert.Equal(one.Sink.Passes, all.Sink.Passes);
        for (var s = 0; s < 4; s++)
        {
            Assert.Equal(one.Aggregator.GetLateCount(one.Keys[s]), all.Aggregator.GetLateCount(all.Keys[s]));
        }
    }

    /// <summary>Each delivered window in order: its identity, its statistics' stored parts as bits and its sketch's bytes.</summary>
    private static List<string> Delivered(CollectingWindowSink sink) =>
        [.. sink.Windows.Select(w => $"{w.Id} {StreamingStatsProperties.Bits(w.Stats)} {Convert.ToBase64String(w.Sketch.ToBinary())}")];
}
