using AnalyticsHub.Correlation;
using AnalyticsHub.Evaluation.Incidents;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

/// <summary>Hand-built truths, predictions and events for the scoring tests.</summary>
internal static class IncidentTruths
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 12, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A readable, distinct id per number.</summary>
    public static Guid Id(int n) => new(n, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    public static Guid[] Ids(params int[] numbers) => [.. numbers.Select(Id)];

    public static HashSet<Guid> Set(params int[] numbers) => [.. Ids(numbers)];

    public static RootCauseTruth EventRoot(int n, bool emitted = true) =>
        new() { Kind = "event", EventId = Id(n), Timestamp = T0, SourceModule = "llm-registry", Action = "deploy", Emitted = emitted };

    public static RootCauseTruth ExternalRoot(string provider, string region) => new() { Kind = "external", Provider = provider, Region = region };

    public static IncidentTruth Incident(
        string id, int[] members, RootCauseTruth? root, string[]? types = null, double extraCostUsd = 0, bool negativeControl = false) => new()
        {
            Id = id,
            Template = negativeControl ? "marketing_surge" : "deploy_regression",
            NegativeControl = negativeControl,
            Start = T0,
            End = T0.AddMinutes(30),
            Root = root,
            CorrelationTypes = types ?? ["causal_chain"],
            Stages = [],
            CausalLinks = [],
            Members = [.. members.Select(n => new MemberTruth { EventId = Id(n), Timestamp = T0, SourceModule = "llm-observatory", Role = "effect", Stage = "s" })],
            MembersOmitted = 0,
            AffectedSeries = [],
            Impact = new ImpactTruth
            {
                LatencyIncreasePercent = 0,
                ErrorRateIncreasePercent = 0,
                ThroughputChangePercent = 0,
                AdditionalCostUsd = extraCostUsd,
                CostIncreasePercent = 0,
                AffectedRequests = 0,
                UsersAffected = 0,
            },
        };

    public static GroundTruth Truth(params IncidentTruth[] incidents) => new()
    {
        Scenario = "test",
        Seed = 1,
        Start = T0.AddHours(-1),
        End = T0.AddHours(1),
        Environment = "test",
        Incidents = incidents,
        Distractors = [],
        Decoys = [],
        BenignPatterns = [],
        Delivery = new DeliveryTruth
        {
            EventsEmitted = 0,
            DuplicatesEmitted = 0,
            EventsDropped = 0,
            ClockSkewSeconds = new Dictionary<string, double>(),
            Gaps = [],
        },
        Models = [],
    };

    public static PredictedIncident Predicted(int[] events, RootCandidate[]? roots = null, CorrelationType[]? types = null, double extraCostUsd = 0) => new()
    {
        EventIds = Ids(events),
        RootCandidates = roots ?? [],
        CorrelationTypes = types ?? [CorrelationType.CausalChain],
        Impact = new PredictedImpact { AdditionalCostUsd = extraCostUsd },
    };

    public static RootCandidate Root(int n) => RootCandidate.ForEvent(Id(n));

    public static IncidentScenarioRun Run(GroundTruth truth, IncidentEventLabels? labels = null, params PredictedIncident[] predictions) => new()
    {
        Truth = truth,
        Labels = labels ?? IncidentEventLabels.Empty,
        Predictions = predictions,
    };

    public static IncidentScore Score(GroundTruth truth, params PredictedIncident[] predictions) => IncidentScorer.Score([Run(truth, null, predictions)]);

    public static AnalyticsEvent Event(
        int id, DateTimeOffset timestamp, EventPayload payload, SourceModule module = SourceModule.LlmObservatory,
        IReadOnlyDictionary<string, string>? tags = null, Guid? parent = null) => new()
        {
            Common = new CommonEventFields
            {
                EventId = Id(id),
                Timestamp = timestamp,
                SourceModule = module,
                EventType = payload is CustomPayload ? EventType.Alert : AnalyticsEventFactory.DefaultEventType(payload),
                ParentEventId = parent,
                Severity = Severity.Info,
                Environment = "test",
                Tags = tags ?? new Dictionary<string, string>(),
            },
            Payload = payload,
        };

    public static LatencyMetrics Latency(string model = "gpt-4o") => new() { ModelId = model, RequestId = "r", TotalLatencyMs = 100 };

    public static TokenCostEvent Cost(double usd, string model = "gpt-4o") => new()
    {
        ModelId = model,
        RequestId = "r",
        PromptTokens = 10,
        CompletionTokens = 10,
        TotalTokens = 20,
        CostPerPromptToken = 0,
        CostPerCompletionToken = 0,
        TotalCostUsd = usd,
        Currency = "USD",
    };

    public static AuditTrailEvent Audit(string action) => new() { Action = action, Actor = "ci", ResourceType = "model", ResourceId = "m" };
}
