using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>Hand-built evidence and incidents for root-cause and impact tests: every event at a minute offset from <see cref="T0"/>.</summary>
internal sealed class RootCauseFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Providers = new(StringComparer.Ordinal) { ["gpt-4o"] = "openai", ["gpt-4o-mini"] = "openai", ["claude"] = "anthropic", ["claude-haiku"] = "anthropic" };
    private readonly HashSet<(string, string)> _addresses = [];
    private int _next = 1;

    public static Guid IdOf(int n) => new(n, 7, 7, 7, 2, 3, 4, 5, 6, 7, 8);

    public AnalyticsEvent Make(double minute, EventPayload payload, SourceModule module, params (string Key, string Value)[] tags) => new()
    {
        Common = new CommonEventFields
        {
            EventId = IdOf(_next++),
            Timestamp = T0.AddMinutes(minute),
            SourceModule = module,
            EventType = payload switch
            {
                TelemetryPayload => EventType.Telemetry,
                CostPayload => EventType.Cost,
                SecurityPayload => EventType.Security,
                CustomPayload => EventType.Alert,
                _ => EventType.Audit,
            },
            Severity = Severity.Info,
            Environment = "production",
            Tags = tags.ToDictionary(t => t.Key, t => t.Value),
        },
        Payload = payload,
    };

    public AnalyticsEvent Change(double minute, string action, string resource, params (string, string)[] tags) =>
        Make(minute, new AuditTrailEvent { Action = action, Actor = "ci", ResourceType = "model_deployment", ResourceId = resource }, SourceModule.LlmRegistry, tags);

    public AnalyticsEvent Signal(double minute, string metric, string model, double observed = 10, double baseline = 1, double score = 0.9, (string, string)[]? extra = null) =>
        Make(minute, new CustomPayload
        {
            CustomType = AnomalyStage.CustomType,
            Data = JsonSerializer.SerializeToElement(new AnomalyEvent
            {
                EventId = IdOf(_next),
                SourceModule = SourceModule.LlmObservatory,
                AnomalyType = AnomalyType.Spike,
                AnomalyScore = score,
                Baseline = baseline,
                Observed = observed,
                Deviation = observed - baseline,
                Timestamp = T0.AddMinutes(minute),
                Metric = metric,
            }, AnomaliesJsonContext.Wire.AnomalyEvent),
        }, SourceModule.LlmAnalyticsHub, [("model_id", model), ("metric", metric), ("statistic", "mean"), ("anomaly_phase", "open"), ("episode_start", "x"), ("source_module", "llm-observatory"), .. extra ?? []]);

    public AnalyticsEvent ErrorRate(double minute, string model, string region, double percent) =>
        Make(minute, new ErrorRateMetrics
        {
            ModelId = model, TotalRequests = 1_000, FailedRequests = (ulong)(percent * 10), ErrorRatePercent = percent, WindowDurationSeconds = 60,
        }, SourceModule.LlmObservatory, ("region", region), ("provider", Providers[model]));

    public AnalyticsEvent Throughput(double minute, string model, string region, double requestsPerSecond) =>
        Make(minute, new ThroughputMetrics
        {
            ModelId = model, RequestsPerSecond = requestsPerSecond, TokensPerSecond = requestsPerSecond * 500, ConcurrentRequests = 2, WindowDurationSeconds = 60,
        }, SourceModule.LlmObservatory, ("region", region), ("provider", Providers[model]));

    public AnalyticsEvent Login(double minute, string user, string ip, string tenant) =>
        Make(minute, new AuthEvent { UserId = user, Action = AuthAction.Login, Resource = "api", Success = true }, SourceModule.LlmSentinel, ("tenant", tenant), ("source_ip", ip));

    public AnalyticsEvent Threat(double minute, string ip, string tenant) =>
        Make(minute, new ThreatEvent
        {
            ThreatId = "thr-1", ThreatType = ThreatType.DataExfiltration, ThreatLevel = ThreatLevel.High, SourceIp = ip, TargetResource = "api",
            AttackVector = "api", MitigationStatus = MitigationStatus.Detected,
        }, SourceModule.LlmSentinel, ("tenant", tenant), ("source_ip", ip));

    /// <summary>The evidence of an event, as the incident builder classifies it.</summary>
    public Evidence Evidence(AnalyticsEvent evt) => evt.Payload switch
    {
        ErrorRateMetrics rate => AnalyticsHub.Correlation.Evidence.Aggregate(evt, "error_rate", rate.ModelId, [rate.ErrorRatePercent]),
        ThroughputMetrics throughput => AnalyticsHub.Correlation.Evidence.Aggregate(evt, "throughput", throughput.ModelId, [throughput.RequestsPerSecond, throughput.TokensPerSecond]),
        _ => AnalyticsHub.Correlation.Evidence.TryCreate(evt, Providers)?.EntryFromNewAddress(_addresses) ?? throw new ArgumentException("not evidence", nameof(evt)),
    };

    /// <summary>An incident of the given events, in the order given (each joins with full affinity).</summary>
    public Incident Incident(params AnalyticsEvent[] events)
    {
        var incident = new Incident(Guid.NewGuid(), Evidence(events[0]), 1_000);
        foreach (var evt in events.Skip(1))
        {
            incident.Add(Evidence(evt), new Affinity(1, 1));
        }

        return incident;
    }
}
