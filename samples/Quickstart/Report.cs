using System.Globalization;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Api;
using AnalyticsHub.Correlation;
using AnalyticsHub.Cost;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Simulation.Traffic;
using AnalyticsHub.Storage;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Samples.Quickstart;

/// <summary>The sections of the tour's report, each read back through the hub's own query paths.</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly string[] ShownTags = ["model_id", "region", "tenant", "policy_id"];

    /// <summary>The ingestion accounting.</summary>
    public static Task IngestionAsync(StringBuilder report, IAnalyticsHub hub)
    {
        var s = hub.Statistics;
        report.AppendLine("== Ingestion ==");
        report.AppendLine(Invariant, $"offered {s.Offered:N0} = invalid {s.Invalid:N0} + refused {s.Refused:N0} + dropped {s.Dropped:N0} + accepted {s.Accepted:N0}");
        report.AppendLine(Invariant, $"accepted {s.Accepted:N0} = stored {s.Stored:N0} + duplicates {s.Duplicates:N0} + failed {s.Failed:N0}");
        if (s.InvalidByCode.Count > 0)
        {
            report.AppendLine("invalid by code: " + string.Join(", ", s.InvalidByCode.Select(p => $"{p.Key} {p.Value}")));
        }

        report.AppendLine();
        return Task.CompletedTask;
    }

    /// <summary>Latency percentiles per model, exact (R-7), from the time-series store.</summary>
    public static async Task LatencyByModelAsync(StringBuilder report, IAnalyticsHub hub, TrafficSimulation scenario)
    {
        var result = await hub.QueryTimeSeriesAsync(new TimeSeriesQuery
        {
            Measurement = "llm_latency",
            TimeRange = new TimeRange(scenario.Start, scenario.End.AddTicks(1)),
            Aggregations =
            [
                new Aggregation { Function = AggregationFunction.Count, Fields = ["latency_ms"] },
                new Aggregation { Function = AggregationFunction.ForPercentile(50), Fields = ["latency_ms"] },
                new Aggregation { Function = AggregationFunction.ForPercentile(95), Fields = ["latency_ms"] },
                new Aggregation { Function = AggregationFunction.ForPercentile(99), Fields = ["latency_ms"] },
            ],
            GroupBy = ["model_id"],
        });

        report.AppendLine("== Latency by model (ms, exact percentiles) ==");
        report.AppendLine(Invariant, $"{"model",-28} {"requests",9} {"p50",9} {"p95",9} {"p99",9}");
        foreach (var series in Series(result))
        {
            var v = series.Points[0].Values;
            report.AppendLine(Invariant, $"{series.Tags.GetValueOrDefault("model_id"),-28} {Number(v, "latency_ms_count"),9:N0} {Number(v, "latency_ms_p50"),9:F1} {Number(v, "latency_ms_p95"),9:F1} {Number(v, "latency_ms_p99"),9:F1}");
        }

        report.AppendLine();
    }

    /// <summary>
    /// Tokens and cost per model, from the token-cost events: the producer's (CostOps) and the hub's own pricing of
    /// the token-usage events with its price table (the two should agree when both use the same prices).
    /// </summary>
    public static async Task CostByModelAsync(StringBuilder report, IAnalyticsHub hub, TrafficSimulation scenario)
    {
        var result = await hub.QueryTimeSeriesAsync(new TimeSeriesQuery
        {
            Measurement = "cost_token",
            TimeRange = new TimeRange(scenario.Start, scenario.End.AddTicks(1)),
            Aggregations = [new Aggregation { Function = AggregationFunction.Sum, Fields = ["cost_usd", "token_count"] }],
            GroupBy = ["model_id", "source_module"],
        });

        var rows = new SortedDictionary<string, (double Tokens, double Producer, double Hub)>(StringComparer.Ordinal);
        foreach (var series in Series(result))
        {
            var v = series.Points[0].Values;
            var model = series.Tags.GetValueOrDefault("model_id") ?? "?";
            var row = rows.GetValueOrDefault(model);
            if (series.Tags.GetValueOrDefault("source_module") == "llm-analytics-hub")
            {
                row.Hub += Number(v, "cost_usd_sum");
            }
            else
            {
                row.Producer += Number(v, "cost_usd_sum");
                row.Tokens += Number(v, "token_count_sum");
            }

            rows[model] = row;
        }

        report.AppendLine("== Tokens and cost by model (producer's price vs the hub's price table) ==");
        report.AppendLine(Invariant, $"{"model",-28} {"tokens",12} {"producer USD",13} {"hub USD",12}");
        foreach (var (model, row) in rows)
        {
            report.AppendLine(Invariant, $"{model,-28} {row.Tokens,12:N0} {row.Producer,13:F4} {row.Hub,12:F4}");
        }

        report.AppendLine(Invariant, $"{"total",-28} {rows.Values.Sum(r => r.Tokens),12:N0} {rows.Values.Sum(r => r.Producer),13:F4} {rows.Values.Sum(r => r.Hub),12:F4}");
        report.AppendLine();
    }

    /// <summary>Each budget's state and the alerts the hub derived (each request counted once, at the hub's price).</summary>
    public static async Task BudgetsAsync(StringBuilder report, IAnalyticsHub hub, ICostMonitor costs)
    {
        var statistics = costs.Statistics;
        report.AppendLine("== Budgets (event time; alerts by the hub) ==");
        report.AppendLine(Invariant, $"priced {statistics.PricedRequests:N0} token_usage events for {statistics.PricedCostUsd:F4} USD; unpriced (unknown model) {statistics.UnpricedRequests:N0}");
        foreach (var state in costs.GetBudgetStates())
        {
            var forecast = state.ProjectedSpendUsd is { } projected ? $"{projected:F2} USD ({state.ForecastMethod})" : "not yet (needs 1.2 h of spend or a day of history)";
            report.AppendLine(Invariant, $"{state.BudgetName}: {state.SpendUsd:F4} of {state.LimitUsd:F2} USD ({state.PercentUsed:F0}%) in the day from {state.PeriodStart:yyyy-MM-dd HH:mm} UTC; thresholds crossed: {string.Join(", ", state.ThresholdsCrossed.Select(t => $"{t:F0}%"))}; period-end forecast: {forecast}");
        }

        var alerts = await hub.QueryEventsAsync(new EventQuery
        {
            PayloadType = PayloadType.Cost,
            Subtype = "budget_alert",
            SourceModules = [SourceModule.LlmAnalyticsHub],
            Order = SortOrder.Asc,
            PerPage = 20,
        });
        foreach (var evt in alerts.Events)
        {
            var alert = (BudgetAlertEvent)evt.Payload;
            var kind = evt.Common.Tags.ContainsKey("forecast") ? "forecast " : string.Empty;
            report.AppendLine(Invariant, $"  {evt.Timestamp:HH:mm:ss} {kind}{Name(alert.AlertType),-8} {alert.ThresholdPercent,6:F0}%  spend {alert.CurrentSpendUsd:F4} USD");
        }

        report.AppendLine();
    }

    /// <summary>What happens to input that is not right: problems with codes and paths, nothing stored.</summary>
    public static async Task RejectedExamplesAsync(StringBuilder report, IAnalyticsHub hub)
    {
        const string ndjson = """
            {"timestamp":"2026-01-15T10:30:00","source_module":"llm-observatory","event_type":"telemetry","severity":"urgent","environment":"production","payload":{"payload_type":"telemetry","data":{"telemetry_type":"latency","model_id":"m","request_id":"r","total_latency_ms":12}}}
            {"event_id": not-json}
            {"timestamp":"2026-01-15T10:30:00Z","source_module":"llm-cost-ops","event_type":"telemetry","severity":"info","environment":"production","payload":{"payload_type":"cost","data":{"cost_type":"api_cost","provider":"openai","api_endpoint":"/v1/chat","request_count":-3,"cost_per_request":0.01,"total_cost_usd":0.1,"billing_period":"2026-01"}}}
            """;
        var result = await hub.IngestJsonAsync(Encoding.UTF8.GetBytes(ndjson));
        report.AppendLine("== Rejected input (nothing of it is stored) ==");
        foreach (var item in result.Items)
        {
            report.AppendLine(Invariant, $"line {item.LineNumber}: {item.Status}");
            foreach (var problem in item.Problems.Take(3))
            {
                report.AppendLine("    " + problem);
            }
        }

        report.AppendLine();
    }

    /// <summary>The newest warnings and worse, from the event store.</summary>
    public static async Task LatestWarningsAsync(StringBuilder report, IAnalyticsHub hub)
    {
        var page = await hub.QueryEventsAsync(new EventQuery { MinSeverity = Severity.Warning, PerPage = 5 });
        report.AppendLine(Invariant, $"== Latest warnings ({page.TotalItems:N0} in all; {page.Metrics.RecordsScanned:N0} records scanned for this page) ==");
        foreach (var evt in page.Events)
        {
            report.AppendLine(Invariant, $"{evt.Timestamp:HH:mm:ss} {Name(evt.Severity),-8} {evt.SourceModule,-24} {Describe(evt)}");
        }

        report.AppendLine();
    }

    /// <summary>The first frames a live subscriber received while the replay ran.</summary>
    public static void LiveStream(StringBuilder report, IReadOnlyList<StreamEvent<AnalyticsEvent>> frames)
    {
        report.AppendLine("== Live stream excerpt (severity >= warning, as it arrived) ==");
        foreach (var frame in frames)
        {
            var evt = frame.Data!;
            report.AppendLine(Invariant, $"#{frame.Sequence,-7} {evt.Timestamp:HH:mm:ss} {Name(evt.Severity),-8} {Describe(evt)}");
        }

        report.AppendLine();
    }

    /// <summary>The anomaly episodes the hub reported (its open and close events), strongest first.</summary>
    public static async Task AnomaliesAsync(StringBuilder report, IAnalyticsHub hub, int max = 12)
    {
        var episodes = await AnomalyEpisodesAsync(hub);
        report.AppendLine(Invariant, $"== Anomalies ({episodes.Count} episodes; the {Math.Min(max, episodes.Count)} strongest) ==");
        report.AppendLine(Invariant, $"{"series",-80} {"type",-18} {"peak",5} {"start–end",-11}");
        foreach (var e in episodes.OrderByDescending(e => e.PeakScore).Take(max).OrderBy(e => e.Start))
        {
            var tags = string.Join(",", ShownTags.Where(e.Tags.ContainsKey).Select(k => k + "=" + e.Tags[k]));
            var type = JsonSerializer.Serialize(e.Type, AnomaliesJsonContext.Default.AnomalyType).Trim('"');
            report.AppendLine(Invariant, $"{e.Metric + " " + tags,-80} {type,-18} {e.PeakScore,5:F2} {e.Start:HH:mm}–{(e.End is { } end ? end.ToString("HH:mm", Invariant) : "open")}");
        }

        report.AppendLine();
    }

    /// <summary>Pairs the hub's anomaly events into episodes: each close event's parent is its open event.</summary>
    public static async Task<IReadOnlyList<AnomalyEpisodeRow>> AnomalyEpisodesAsync(IAnalyticsHub hub)
    {
        var events = new List<AnalyticsEvent>();
        for (uint page = 1; ; page++)
        {
            var result = await hub.QueryEventsAsync(new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub], Subtype = "anomaly", PerPage = 1000, Page = page });
            events.AddRange(result.Events.Where(e => e.Payload is CustomPayload { CustomType: "anomaly" }));
            if (result.Events.Count < 1000)
            {
                break;
            }
        }

        var closes = events.Where(e => e.Common.Tags.GetValueOrDefault("anomaly_phase") == "close" && e.Common.ParentEventId is not null)
            .ToDictionary(e => e.Common.ParentEventId!.Value);
        var rows = new List<AnomalyEpisodeRow>();
        foreach (var open in events.Where(e => e.Common.Tags.GetValueOrDefault("anomaly_phase") == "open"))
        {
            var final = Anomaly(closes.GetValueOrDefault(open.EventId) ?? open);
            var close = closes.GetValueOrDefault(open.EventId);
            rows.Add(new AnomalyEpisodeRow(final.Metric, open.Common.Tags, final.AnomalyType, final.AnomalyScore, Anomaly(open).Timestamp, close?.Timestamp));
        }

        return [.. rows.OrderBy(r => r.Start)];
    }

    private static AnomalyEvent Anomaly(AnalyticsEvent evt) =>
        ((CustomPayload)evt.Payload).Data.Deserialize(AnomaliesJsonContext.Default.AnomalyEvent)!;

    /// <summary>
    /// The incidents the hub's <c>correlation</c> stage found over the replay, strongest first: every one of them
    /// (strength 0 and up) whose time window touches the scenario's span.
    /// </summary>
    public static async Task<IReadOnlyList<EventCorrelation>> FoundIncidentsAsync(IAnalyticsHub hub, TrafficSimulation scenario)
    {
        var span = (long)Math.Ceiling((scenario.End - scenario.Start).TotalMinutes) + 1;
        var result = await hub.QueryCorrelationsAsync(new CorrelationQuery { SeedEventId = Guid.Empty, TimeWindowMinutes = span, MinStrength = 0 });
        return result.IsSuccess
            ? result.Correlations
            : throw new InvalidOperationException(string.Join("; ", result.Problems.Select(p => p.ToString())));
    }

    /// <summary>The incidents the hub found next to the one that was injected (the simulator's ground truth, which the hub never sees).</summary>
    public static void Incidents(StringBuilder report, IReadOnlyList<EventCorrelation> found, GroundTruth truth)
    {
        report.AppendLine(Invariant, $"== Incidents the hub found ({found.Count}) ==");
        foreach (var incident in found)
        {
            report.AppendLine(Invariant, $"{string.Join(", ", incident.CorrelationTypes.Select(Snake))}: {incident.TimeWindow.Start:HH:mm}–{incident.TimeWindow.End:HH:mm}, strength {incident.Strength:F2}, confidence {incident.Confidence:F2}, {incident.Events.Count} members");
            var meta = incident.Metadata;
            var root = incident.Events.FirstOrDefault(e => e.Role == EventRole.RootCause);
            report.AppendLine(Invariant, $"  root cause: {(root is null ? meta.GetValueOrDefault("root_cause", "none") : $"{root.Summary} at {root.Timestamp:HH:mm:ss}")} (confidence {meta.GetValueOrDefault("root_confidence", "0")})");
            report.AppendLine(Invariant, $"  impact: {meta.GetValueOrDefault("impact_severity", "-")} (score {meta.GetValueOrDefault("impact_score", "-")}), additional cost {meta.GetValueOrDefault("additional_cost_usd", "-")} USD");
            foreach (var module in incident.Events.GroupBy(e => e.SourceModule).OrderBy(g => g.Min(e => e.Timestamp)))
            {
                report.AppendLine(Invariant, $"  {module.Key}:");
                foreach (var member in module.OrderBy(e => e.Timestamp).Take(4))
                {
                    report.AppendLine(Invariant, $"    {member.Timestamp:HH:mm:ss} {Snake(member.Role)}: {member.Summary}");
                }

                if (module.Count() > 4)
                {
                    report.AppendLine(Invariant, $"    ... and {module.Count() - 4} more");
                }
            }
        }

        report.AppendLine();
        report.AppendLine("== The incident that was injected (ground truth) ==");
        foreach (var incident in truth.Incidents)
        {
            report.AppendLine(Invariant, $"{incident.Template} ({string.Join(", ", incident.CorrelationTypes)}): {incident.Start:HH:mm}–{incident.End:HH:mm}, root {incident.Root?.Action ?? incident.Root?.Kind ?? "none"} in {incident.Root?.SourceModule ?? "-"} at {incident.Root?.Timestamp:HH:mm:ss}");
            report.AppendLine(Invariant, $"impact: latency +{incident.Impact.LatencyIncreasePercent:F0}%, error rate +{incident.Impact.ErrorRateIncreasePercent:F1} points, cost +{incident.Impact.AdditionalCostUsd:F2} USD");
            foreach (var series in incident.AffectedSeries)
            {
                report.AppendLine(Invariant, $"affected: {series.Aggregation}({series.Measurement}.{series.Field}) {string.Join(",", series.Tags.Select(t => t.Key + "=" + t.Value))} {string.Join(", ", series.Windows.Select(w => $"{w.Start:HH:mm}–{w.End:HH:mm}"))}");
            }
        }
    }

    private static string Snake<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static IEnumerable<TimeSeriesResultSeries> Series(TimeSeriesQueryOutcome result) =>
        result.Result?.Series ?? throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Message)));

    private static double Number(IReadOnlyDictionary<string, FieldValue?> values, string name) =>
        values.TryGetValue(name, out var value) && value is { } v && v.TryGetDouble(out var number) ? number : double.NaN;

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Describe(AnalyticsEvent evt) => evt.Payload switch
    {
        ErrorRateMetrics p => $"{p.ModelId}: error rate {p.ErrorRatePercent:F1}% ({p.FailedRequests}/{p.TotalRequests})",
        BudgetAlertEvent p => $"budget '{p.BudgetName}' at {p.ThresholdPercent:F0}% ({p.AlertType})",
        AuditTrailEvent p => $"{p.Action} of {p.ResourceId} by {p.Actor}",
        ThreatEvent p => $"{p.ThreatType} ({p.ThreatLevel}) on {p.TargetResource}",
        AuthEvent p => $"{p.Action} by {p.UserId}: {(p.Success ? "ok" : p.FailureReason)}",
        LatencyMetrics p => $"{p.ModelId}: {p.TotalLatencyMs:F0} ms",
        _ => $"{evt.Payload.PayloadType.ToString().ToLowerInvariant()}/{evt.Payload.Subtype}",
    };
}
