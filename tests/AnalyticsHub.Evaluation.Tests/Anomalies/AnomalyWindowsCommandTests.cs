using AnalyticsHub.Evaluation.Anomalies;
using AnalyticsHub.Evaluation.Incidents;

namespace AnalyticsHub.Evaluation.Tests.Anomalies;

/// <summary>The grain, series and timeline options of <c>anomaly-windows</c> and <c>incidents</c>: bad input fails before any run.</summary>
public sealed class AnomalyWindowsCommandTests
{
    [Theory]
    [InlineData("--without count(llm_nothing.value)")]
    [InlineData("--without count(llm_latency.latency_ms) --without sum(llm_latency.latency_ms)")]
    [InlineData("--without")]
    [InlineData("--dimension")]
    [InlineData("--hours")]
    [InlineData("--hours 0.1")]
    [InlineData("--hours six")]
    [InlineData("--config")]
    [InlineData("--config no-such-scenario-config.json")]
    public async Task AnomalyWindows_BadGrainOrSeries_ExitsWithUsageError(string arguments)
    {
        Assert.Equal(2, await AnomalyWindowsCommand.RunAsync(arguments.Split(' ')));
    }

    [Theory]
    [InlineData("--dimension")]
    [InlineData("--scenarios 1 --dimension")]
    public async Task Incidents_DimensionWithoutATag_ExitsWithUsageError(string arguments)
    {
        Assert.Equal(2, await IncidentsCommand.RunAsync(arguments.Split(' ')));
    }
}
