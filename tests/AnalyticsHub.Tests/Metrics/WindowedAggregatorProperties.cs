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
}
