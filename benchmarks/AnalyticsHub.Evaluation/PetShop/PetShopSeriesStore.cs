using AnalyticsHub.Correlation.Topology;
using AnalyticsHub.Events;
using AnalyticsHub.Storage.InMemory;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>
/// Feeds a scenario's metrics into the hub's time-series store — measurement <c>petshop</c>, one series per component,
/// metric and statistic (custom tags <c>component</c>, <c>metric</c>, <c>statistic</c>, and <c>period</c>:
/// <c>noissue</c> or the issue's split and name), field <c>value</c>, empty cells not written — and reads a period back
/// as the ranker's <see cref="TopologySeries"/>.
/// </summary>
internal sealed class PetShopSeriesStore
{
    public const string Measurement = "petshop";

    private readonly InMemoryTimeSeriesStore _store = new();

    public static string PeriodOf(PetShopIssue issue) => $"{issue.Split}/{issue.Name}";

    public static PetShopSeriesStore Of(PetShopScenario scenario)
    {
        var store = new PetShopSeriesStore();
        store.Write("noissue", scenario.Normal);
        foreach (var issue in scenario.Issues)
        {
            store.Write(PeriodOf(issue), issue.Metrics);
        }

        return store;
    }

    public IReadOnlyList<TopologySeries> Read(string period)
    {
        var outcome = _store.QueryAsync(new TimeSeriesQuery
        {
            Measurement = Measurement,
            TimeRange = new TimeRange(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(200)),
            TagFilters = new Dictionary<string, string>(StringComparer.Ordinal) { ["period"] = period },
        }).AsTask().GetAwaiter().GetResult();
        if (outcome.Result is not { } result)
        {
            throw new InvalidOperationException($"petshop: the time-series query for period '{period}' failed: {string.Join("; ", outcome.Errors.Select(e => e.Message))}");
        }

        var series = new List<TopologySeries>(result.Series.Count);
        foreach (var one in result.Series)
        {
            var times = new DateTimeOffset[one.Points.Count];
            var values = new double[one.Points.Count];
            for (var i = 0; i < times.Length; i++)
            {
                times[i] = one.Points[i].Timestamp;
                values[i] = one.Points[i].Values.TryGetValue("value", out var value) && value is { } field && field.TryGetDouble(out var number) ? number : double.NaN;
            }

            series.Add(new TopologySeries(one.Tags["component"], PetShopColumn.MetricKey(one.Tags["metric"], one.Tags["statistic"]), times, values));
        }

        return series;
    }

    private void Write(string period, PetShopTable table)
    {
        var points = new List<TimeSeriesPoint>(table.Times.Length * table.Columns.Count);
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            var tags = new TagSet
            {
                SourceModule = "petshop",
                Environment = "benchmark",
                Custom = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["component"] = column.Component,
                    ["metric"] = column.Metric,
                    ["statistic"] = column.Statistic,
                    ["period"] = period,
                },
            };
            for (var r = 0; r < table.Times.Length; r++)
            {
                if (double.IsFinite(table.Values[c][r]))
                {
                    points.Add(new TimeSeriesPoint
                    {
                        Measurement = Measurement,
                        Timestamp = table.Times[r],
                        Tags = tags,
                        Fields = new FieldSet([new("value", FieldValue.FromDouble(table.Values[c][r]))]),
                    });
                }
            }
        }

        var written = _store.WritePointsAsync(points).AsTask().GetAwaiter().GetResult();
        if (!written.IsSuccess)
        {
            throw new InvalidOperationException($"petshop: writing {table.Path} to the time-series store failed: {string.Join("; ", written.Errors.Select(e => e.Message))}");
        }
    }
}
