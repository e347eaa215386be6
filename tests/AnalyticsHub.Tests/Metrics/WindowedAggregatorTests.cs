using AnalyticsHub.Metrics;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.Tests.Metrics;

public class WindowedAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private static (WindowedAggregator Aggregator, CollectingWindowSink Sink) Create(
        TimeSpan? lateness = null, int maxKeys = 1000, params TimeWindow[] windows)
    {
        var sink = new CollectingWindowSink();
        var options = new WindowedAggregatorOptions
        {
            Windows = windows.Length == 0 ? [TimeWindow.OneMinute, TimeWindow.OneHour] : windows,
            AllowedLateness = lateness ?? TimeSpan.Zero,
            MaxKeys = maxKeys,
        };
        return (new WindowedAggregator(options, sink), sink);
    }

    private static MetricKey Key(WindowedAggregator aggregator, string name, params (string Key, string Value)[] tags)
    {
        Assert.True(aggregator.TryGetKey(name, tags.ToDictionary(t => t.Key, t => t.Value), out var key));
        return key;
    }

    [Fact]
    public void Record_PointsInOneMinute_WindowClosesWhenWatermarkPassesItsEnd()
    {
        var (aggregator, sink) = Create();
        var key = Key(aggregator, "latency_ms", ("model", "m1"));
        Assert.Equal(RecordStatus.Recorded, aggregator.Record(key, T0.AddSeconds(1), 100));
        Assert.Equal(RecordStatus.Recorded, aggregator.Record(key, T0.AddSeconds(59), 300));
        Assert.Empty(sink.Windows);

        aggregator.Record(key, T0.AddMinutes(1), 7);

        var window = Assert.Single(sink.Windows);
        Assert.Equal(TimeWindow.OneMinute, window.Window);
        Assert.Equal(T0, window.Start);
        Assert.Equal(T0.AddMinutes(1), window.End);
        Assert.Equal(2UL, window.Stats.Count);
        Assert.Equal(400, window.Stats.Sum);
        Assert.Equal("latency_ms,model=m1", window.Series);
        var values = Assert.IsType<StatsMetricValues>(window.Metric.Values);
        Assert.Equal(200, values.Stats.Avg);
        Assert.Equal("m1", window.Metric.Tags["model"]);
    }

    [Fact]
    public void Record_LateWithinLateness_UpdatesItsWindow()
    {
        var (aggregator, sink) = Create(TimeSpan.FromSeconds(30));
        var key = Key(aggregator, "m");
        aggregator.Record(key, T0.AddSeconds(50), 1);
        aggregator.Record(key, T0.AddSeconds(75), 2); // watermark 10:00:45: the first minute stays open
        Assert.Equal(RecordStatus.Recorded, aggregator.Record(key, T0.AddSeconds(10), 3));
        aggregator.Record(key, T0.AddSeconds(95), 4); // watermark 10:01:05 closes [10:00, 10:01)

        var first = Assert.Single(sink.Windows);
        Assert.Equal(2UL, first.Stats.Count);
        Assert.Equal(4, first.Stats.Sum);
        Assert.Equal(0, aggregator.GetLateCount(key));
    }

    [Fact]
    public void Record_LaterThanLateness_ReturnsLateAndCountsPerMetric()
    {
        var (aggregator, sink) = Create(TimeSpan.FromSeconds(30));
        var a = Key(aggregator, "latency_ms", ("model", "a"));
        var b = Key(aggregator, "latency_ms", ("model", "b"));
        var other = Key(aggregator, "cost_usd");
        aggregator.Record(a, T0.AddMinutes(5), 1);

        Assert.Equal(RecordStatus.Late, aggregator.Record(a, T0.AddMinutes(1), 2));
        Assert.Equal(RecordStatus.Late, aggregator.Record(b, T0.AddMinutes(2), 2));
        Assert.Equal(RecordStatus.Late, aggregator.Record(b, T0.AddMinutes(4).AddTicks(-1), 2)); // watermark 10:04:30 closed [10:03, 10:04)
        Assert.Equal(RecordStatus.Recorded, aggregator.Record(other, T0.AddMinutes(4), 2)); // [10:04, 10:05) ends after the watermark: open

        Assert.Equal(1, aggregator.GetLateCount(a));
        Assert.Equal(2, aggregator.GetLateCount(b));
        Assert.Equal(3, aggregator.GetLateCount("latency_ms"));
        Assert.Equal(3, aggregator.GetStatistics().Late);
        Assert.Empty(sink.Windows);
    }

    [Fact]
    public void Record_NonFiniteValue_RefusedAndCounted()
    {
        var (aggregator, _) = Create();
        var key = Key(aggregator, "m");
        Assert.Equal(RecordStatus.InvalidValue, aggregator.Record(key, T0, double.NaN));
        Assert.Equal(RecordStatus.InvalidValue, aggregator.Record(key, T0, double.PositiveInfinity));
        var statistics = aggregator.GetStatistics();
        Assert.Equal(2, statistics.InvalidValues);
        Assert.Equal(0, statistics.Recorded);
    }

    [Fact]
    public void Record_DefaultOrForeignKey_ReturnsUnknownKey()
    {
        var (aggregator, _) = Create();
        var (other, _) = Create();
        Key(other, "a");
        var foreign = Key(other, "b");
        Assert.Equal(RecordStatus.UnknownKey, aggregator.Record(default, T0, 1));
        Assert.Equal(RecordStatus.UnknownKey, aggregator.Record(foreign, T0, 1));
    }

    [Fact]
    public void TryGetKey_SameNameAndTagsInAnyOrder_ReturnsSameKey()
    {
        var (aggregator, _) = Create();
        var first = Key(aggregator, "m", ("a", "1"), ("b", "2"));
        var second = Key(aggregator, "m", ("b", "2"), ("a", "1"));
        var different = Key(aggregator, "m", ("a", "1"));
        Assert.Equal(first, second);
        Assert.NotEqual(first, different);
        Assert.Equal("m,a=1,b=2", aggregator.GetSeries(first).ToString());
    }

    [Fact]
    public void TryGetKey_LimitReached_RefusesNewSeriesAndCountsThem()
    {
        var (aggregator, _) = Create(maxKeys: 2);
        var a = Key(aggregator, "a");
        Key(aggregator, "b");

        Assert.False(aggregator.TryGetKey("c", null, out var refused));
        Assert.False(refused.IsValid);
        Assert.Equal(RecordStatus.KeyLimitReached, aggregator.Record("d", null, T0, 1));
        Assert.Equal(RecordStatus.Recorded, aggregator.Record("a", null, T0, 1)); // existing series still work
        Assert.Equal(RecordStatus.Recorded, aggregator.Record(a, T0, 1));
        var statistics = aggregator.GetStatistics();
        Assert.Equal(2, statistics.KeyLimitRejections);
        Assert.Equal(2, statistics.Keys);
    }

    [Fact]
    public void Record_WindowsClose_AreEvictedSoOpenWindowsStayBounded()
    {
        var (aggregator, sink) = Create(TimeSpan.Zero, 1000, TimeWindow.OneMinute, TimeWindow.FiveMinutes);
        var keys = Enumerable.Range(0, 10).Select(i => Key(aggregator, "m", ("i", i.ToString()))).ToArray();
        for (var minute = 0; minute < 60; minute++)
        {
            foreach (var key in keys)
            {
                aggregator.Record(key, T0.AddMinutes(minute).AddSeconds(30), minute);
            }

            var open = aggregator.GetStatistics().OpenWindows;
            Assert.True(open <= 20, $"{open} open windows at minute {minute}"); // 10 current minutes + 10 current 5-minute rollups
        }

        Assert.Equal(590, sink.Of(TimeWindow.OneMinute).Count()); // the last minute is still open
        Assert.Equal(110, sink.Of(TimeWindow.FiveMinutes).Count());

        aggregator.Flush();
        var statistics = aggregator.GetStatistics();
        Assert.Equal(0, statistics.OpenWindows);
        Assert.Equal(600 + 120, statistics.ClosedWindows);
        Assert.Equal(DateTimeOffset.MaxValue, sink.Passes[^1]);
    }

    [Fact]
    public void Flush_ThenRecord_PointIsLate()
    {
        var (aggregator, sink) = Create();
        var key = Key(aggregator, "m");
        aggregator.Record(key, T0, 1);
        aggregator.Flush();
        Assert.Equal(2, sink.Windows.Count); // its minute and its hour
        Assert.Equal(RecordStatus.Late, aggregator.Record(key, T0.AddDays(1), 1));
        aggregator.Flush();
        Assert.Equal(2, sink.Windows.Count);
    }

    [Fact]
    public void AdvanceWatermark_IdleStream_ClosesWindows()
    {
        var (aggregator, sink) = Create(TimeSpan.FromMinutes(1));
        var key = Key(aggregator, "m");
        aggregator.Record(key, T0.AddSeconds(10), 1);
        aggregator.AdvanceWatermark(T0.AddMinutes(1).AddSeconds(59));
        Assert.Empty(sink.Windows);
        aggregator.AdvanceWatermark(T0.AddMinutes(2));
        Assert.Single(sink.Windows);
        Assert.Equal(T0.AddMinutes(1), aggregator.GetStatistics().ClosedUpTo);
    }

    [Fact]
    public void Rollup_MinuteToHour_HourIsMergeOfItsMinutes()
    {
        var (aggregator, sink) = Create(TimeSpan.Zero, 1000, TimeWindow.OneMinute, TimeWindow.FiveMinutes, TimeWindow.OneHour);
        var key = Key(aggregator, "m");
        for (var second = 0; second < 7200; second += 7)
        {
            aggregator.Record(key, T0.AddSeconds(second), second % 100);
        }

        aggregator.Flush();
        var hours = sink.Of(TimeWindow.OneHour).ToList();
        Assert.Equal(2, hours.Count);
        var minutesOfFirstHour = sink.Of(TimeWindow.OneMinute).Where(w => w.Start < T0.AddHours(1)).ToList();
        Assert.Equal(60, minutesOfFirstHour.Count);
        Assert.Equal(minutesOfFirstHour.Aggregate(0UL, (n, w) => n + w.Stats.Count), hours[0].Stats.Count);
        Assert.Equal(12, sink.Of(TimeWindow.FiveMinutes).Count(w => w.Start < T0.AddHours(1)));
        var expected = new QuantileSketch();
        foreach (var minute in minutesOfFirstHour)
        {
            expected.Merge(minute.Sketch);
        }

        Assert.True(expected.ContentEquals(hours[0].Sketch));
    }

    [Fact]
    public void Rollup_DaysIntoWeeksAndMonths_LeapFebruaryIsOneMonth()
    {
        var (aggregator, sink) = Create(TimeSpan.Zero, 1000, TimeWindow.OneDay, TimeWindow.OneWeek, TimeWindow.OneMonth);
        var key = Key(aggregator, "m");
        var start = new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.Zero);
        for (var day = 0; day < 31; day++)
        {
            aggregator.Record(key, start.AddDays(day), 1);
        }

        aggregator.Flush();
        var months = sink.Of(TimeWindow.OneMonth).ToList();
        Assert.Equal([1UL, 29UL, 1UL], months.Select(m => m.Stats.Count));
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), months[1].Start);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), months[1].End);
        Assert.All(sink.Of(TimeWindow.OneWeek), w => Assert.Equal(DayOfWeek.Monday, w.Start.DayOfWeek));
        Assert.Equal(31UL, sink.Of(TimeWindow.OneWeek).Aggregate(0UL, (n, w) => n + w.Stats.Count));
    }

    [Fact]
    public void ClosedWindow_HistogramAndSummary_BuiltFromTheWindow()
    {
        HistogramMetric? histogram = null;
        SummaryMetric? summary = null;
        var sink = new DelegateSink(w =>
        {
            histogram = w.ToHistogramMetric([0.1, 1]);
            summary = w.ToSummaryMetric([0.999]);
        });
        var aggregator = new WindowedAggregator(new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute], AllowedLateness = TimeSpan.Zero }, sink);
        aggregator.Record("latency_s", null, T0, 0.05);
        aggregator.Record("latency_s", null, T0, 0.5);
        aggregator.Record("latency_s", null, T0, 3);
        aggregator.Flush();

        Assert.Equal([new HistogramBucket(0.1, 1), new HistogramBucket(1, 1), new HistogramBucket(3, 1)], histogram!.Buckets);
        Assert.Equal(3UL, histogram.Stats.Count);
        Assert.Equal(T0, histogram.Timestamp);
        Assert.Equal(3.0, summary!.Stats.Max);
        Assert.True(summary.Percentiles!.ContainsKey("p99.9"));
    }

    [Fact]
    public void Constructor_WeekAndMonthOnly_RejectedWithReason()
    {
        var error = Assert.Throws<ArgumentException>(() => new WindowedAggregator(
            new WindowedAggregatorOptions { Windows = [TimeWindow.OneWeek, TimeWindow.OneMonth], MaxKeys = 0 }, new CollectingWindowSink()));
        Assert.Contains("nests in OneMonth", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_ConcurrentWritersSameAndDifferentKeys_TotalsExact()
    {
        var (aggregator, sink) = Create(TimeSpan.FromMinutes(2));
        var shared = Key(aggregator, "shared");
        const int Writers = 4;
        const int PointsPerWriter = 50_000;
        const int Step = 1_000; // writers meet every 7 s of event time, far inside the 2-minute lateness

        // Threads run at whatever pace the scheduler gives them; the barrier keeps their event times within one
        // step of each other, so the watermark never overtakes a slower writer (which would rightly make it Late).
        using var barrier = new Barrier(Writers);
        var notRecorded = 0;
        var threads = Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            var own = Key(aggregator, "own", ("writer", w.ToString()));
            for (var i = 0; i < PointsPerWriter; i++)
            {
                if (i % Step == 0)
                {
                    barrier.SignalAndWait();
                }

                var time = T0.AddMilliseconds(i * 7L); // about six minutes: several windows close while others write
                if (aggregator.Record(shared, time, i % 10) != RecordStatus.Recorded)
                {
                    Interlocked.Increment(ref notRecorded);
                }

                aggregator.Record(own, time, 1);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(0, notRecorded);
        aggregator.Flush();

        var sharedMinutes = sink.Of(TimeWindow.OneMinute).Where(w => w.Name == "shared").ToList();
        Assert.Equal((ulong)(Writers * PointsPerWriter), sharedMinutes.Aggregate(0UL, (n, w) => n + w.Stats.Count));
        Assert.Equal(Writers * 45.0 * (PointsPerWriter / 10), sharedMinutes.Sum(w => w.Stats.Sum));
        Assert.Equal(sharedMinutes.Count, sharedMinutes.Select(w => w.Start).Distinct().Count()); // one window per start: shards merged
        var sharedHour = Assert.Single(sink.Of(TimeWindow.OneHour), w => w.Name == "shared");
        Assert.Equal((ulong)(Writers * PointsPerWriter), sharedHour.Stats.Count);
        Assert.Equal((ulong)(Writers * PointsPerWriter), sharedHour.Sketch.Count);
        Assert.All(sink.Of(TimeWindow.OneHour).Where(w => w.Name == "own"), w => Assert.Equal((ulong)PointsPerWriter, w.Stats.Count));
        Assert.True(aggregator.GetStatistics().Shards >= Writers);
        Assert.Equal(0, aggregator.GetStatistics().Late);
    }

    [Fact]
    public async Task Record_SingleWriterOnThreadsInTurn_OneShardAndTheWindowsOfOneThread()
    {
        // A pipeline stage's lane runs on whichever pool thread is free: batches in turn, each maybe on another thread.
        var sink = new CollectingWindowSink();
        var options = new WindowedAggregatorOptions { Windows = [TimeWindow.OneMinute, TimeWindow.OneHour], AllowedLateness = TimeSpan.Zero };
        var single = new WindowedAggregator(options, sink, singleWriter: true);
        var (inline, inlineSink) = Create();
        var key = Key(single, "latency_ms", ("model", "m1"));
        var inlineKey = Key(inline, "latency_ms", ("model", "m1"));
        for (var batch = 0; batch < 8; batch++)
        {
            var first = batch * 100;
            await Task.Factory.StartNew(() =>
            {
                for (var i = first; i < first + 100; i++)
                {
                    Assert.Equal(RecordStatus.Recorded, single.Record(key, T0.AddSeconds(i), i % 17));
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            for (var i = first; i < first + 100; i++)
            {
                inline.Record(inlineKey, T0.AddSeconds(i), i % 17);
            }
        }

        single.Flush();
        inline.Flush();

        Assert.Equal(1, single.GetStatistics().Shards);
        Assert.Equal(
            inlineSink.Windows.Select(w => (w.Window, w.Start, w.Stats.Count, w.Stats.Sum, w.Sketch.Count)),
            sink.Windows.Select(w => (w.Window, w.Start, w.Stats.Count, w.Stats.Sum, w.Sketch.Count)));
    }

    private sealed class DelegateSink(Action<ClosedWindow> onWindow) : IClosedWindowSink
    {
        public void OnWindowClosed(in ClosedWindow window) => onWindow(window);

        public void OnClosePassCompleted(DateTimeOffset closedUpTo)
        {
        }
    }
}
