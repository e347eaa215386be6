using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.Tests.Events;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Metrics;

/// <summary>Histograms and summaries the metrics stage reports per closed window for the configured metrics (issue 38).</summary>
public sealed class MetricsStageDistributionTests
{
    private static readonly DateTimeOffset Start = SampleEvents.Now.AddHours(-2);

    private static ServiceProvider Build(Action<AnalyticsHubOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SampleEvents.Now));
        services.AddAnalyticsHub(o =>
        {
            o.Ingestion.RetryBaseDelay = TimeSpan.Zero;
            configure(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>Minute 0 gets 1..60, minute 1 gets 1000..1029: values far from the bounds 10.5, 50.5 and 500 the sketch's accuracy.</summary>
    private static List<Metric> Gauges(string model)
    {
        var tags = new Dictionary<string, string> { ["source_module"] = "llm-observatory", ["environment"] = "production", ["model_id"] = model };
        var gauges = new List<Metric>();
        for (var i = 0; i < 60; i++)
        {
            gauges.Add(new GaugeMetric { Name = "queue_depth", Tags = tags, Timestamp = Start.AddSeconds(i), Value = i + 1 });
        }

        for (var i = 0; i < 30; i++)
        {
            gauges.Add(new GaugeMetric { Name = "queue_depth", Tags = tags, Timestamp = Start.AddMinutes(1).AddSeconds(i * 2), Value = 1_000 + i });
        }

        return gauges;
    }

    private static async Task<IReadOnlyList<TimeSeriesDataPoint>> PointsAsync(IAnalyticsHub hub, string measurement, string window)
    {
        var outcome = await hub.QueryTimeSeriesAsync(new TimeSeriesQuery
        {
            Measurement = measurement,
            TimeRange = new TimeRange(Start, Start.AddHours(1)),
            TagFilters = new Dictionary<string, string> { ["window"] = window, ["model_id"] = "m1" },
        });
        Assert.True(outcome.IsSuccess, string.Join("; ", outcome.Errors.Select(e => e.Message)));
        return outcome.Result!.Series.Single().Points;
    }

    [Fact]
    public async Task ClosedWindow_ConfiguredHistogram_StoresPerBucketCountsPerWindow()
    {
        await using var provider = Build(o => o.Metrics.Histograms.Add(new MetricDistributionOptions
        {
            Metric = "queue_depth.value",
            Window = TimeWindow.OneMinute,
            UpperBounds = [10.5, 50.5, 500],
        }));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await hub.IngestMetricsAsync(Gauges("m1"));
        await hub.StopAsync();

        var points = await PointsAsync(hub, "queue_depth.value.histogram", "1m");

        Assert.Equal([Start, Start.AddMinutes(1)], points.Select(p => p.Timestamp));
        var first = points[0].Values;
        Assert.Equal((10UL, 40UL, 10UL), (Count(first, "bucket_le_10.5"), Count(first, "bucket_le_50.5"), Count(first, "bucket_le_500")));
        Assert.False(first.ContainsKey("bucket_le_1029"));
        Assert.Equal((60UL, 1.0, 60.0, 1830.0), (Count(first, "count"), Number(first, "min"), Number(first, "max"), Number(first, "sum")));

        // Above the last bound: one more bucket, up to the window's maximum.
        var second = points[1].Values;
        Assert.Equal((0UL, 30UL), (Count(second, "bucket_le_500"), Count(second, "bucket_le_1029")));
        Assert.Empty(await hub.TimeSeries.DescribeSeriesAsync("queue_depth.value.summary"));
    }

    [Fact]
    public async Task ClosedWindow_ConfiguredSummary_StoresStatisticsAndExtraQuantilesForEveryWindow()
    {
        await using var provider = Build(o => o.Metrics.Summaries.Add(new MetricDistributionOptions { Metric = "queue_depth.value", Quantiles = [0.999] }));
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync();
        await hub.IngestMetricsAsync([.. Gauges("m1"), .. Gauges("m2")]);
        await hub.StopAsync();

        var minutes = await PointsAsync(hub, "queue_depth.value.summary", "1m");
        var series = await hub.TimeSeries.DescribeSeriesAsync("queue_depth.value.summary");
        Assert.Equal(4, series.Count);
        Assert.Equal(2, minutes.Count);
        var first = minutes[0].Values;
        Assert.Equal(60UL, Count(first, "count"));
        Assert.InRange(Number(first, "p50"), 30 * 0.99, 31 * 1.01);
        Assert.InRange(Number(first, "quantile_p99.9"), 60 * 0.99, 60 * 1.01);
        Assert.Equal(30.5, Number(first, "avg"), 9);

        // The hour window holds both minutes.
        var hour = Assert.Single(await PointsAsync(hub, "queue_depth.value.summary", "1h")).Values;
        Assert.Equal(90UL, Count(hour, "count"));
    }

    [Fact]
    public void Options_BadHistogramAndSummary_AreRefusedAtStartWithEveryProblem()
    {
        using var provider = Build(o =>
        {
            o.Metrics.Histograms.Add(new MetricDistributionOptions { Metric = "queue_depth.value", UpperBounds = [5, 5] });
            o.Metrics.Histograms.Add(new MetricDistributionOptions { Metric = "queue_depth", UpperBounds = [1], Window = TimeWindow.OneDay });
            o.Metrics.Summaries.Add(new MetricDistributionOptions { Metric = "queue_depth.value", Quantiles = [1.5] });
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnalyticsHub>());

        Assert.Contains("Metrics.Histograms[0].UpperBounds must be finite and strictly increasing; [1] is 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("Metrics.Histograms[1].Metric must be '<measurement>.<field>'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Metrics.Histograms[1].Window OneDay is not one of the windows", error.Message, StringComparison.Ordinal);
        Assert.Contains("Metrics.Summaries[0].Quantiles must lie in [0, 1]", error.Message, StringComparison.Ordinal);
    }

    private static ulong Count(IReadOnlyDictionary<string, FieldValue?> values, string field) =>
        values.TryGetValue(field, out var value) && value is { } v && v.TryGetDouble(out var d) ? (ulong)d : 0;

    private static double Number(IReadOnlyDictionary<string, FieldValue?> values, string field) =>
        values[field] is { } v && v.TryGetDouble(out var d) ? d : double.NaN;
}
