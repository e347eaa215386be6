using AnalyticsHub.Samples.GenAiTelemetry;

namespace AnalyticsHub.OpenTelemetry.Tests;

/// <summary>The sample end to end: its report's numbers follow from its script (every 7th call fails).</summary>
[Collection(FixedSourcesCollection.Name)]
public sealed class SampleTests
{
    [Fact]
    public async Task RunAsync_TwentyOneCalls_ReportCountsEveryCallOnce()
    {
        var report = await GenAiTelemetrySample.RunAsync(calls: 21);

        Assert.Equal((21, 3), (report.Calls, report.FailedCalls));
        Assert.Equal((21L, 0L), (report.Bridge.Observed, report.Bridge.Dropped));
        Assert.Equal((21, 3), (report.LatencyEvents, report.FailedLatencyEvents));
        Assert.Equal((21L, 3L), (report.WindowRequests, report.WindowFailures));
        Assert.Equal(3L, report.ErrorBreakdown["System.TimeoutException"]);
        Assert.Equal(18 * 512L, report.CachedInputTokens);
        Assert.True(report.CostUsd > 0);
        Assert.Equal(report.Bridge.EventsOffered, report.Bridge.EventsAccepted);
        Assert.Contains("error.type System.TimeoutException: 3", report.Format(), StringComparison.Ordinal);
    }
}
