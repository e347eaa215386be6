using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// One event the correlation stage groups: its kind, event time, the entities it names (as <c>name=value</c> keys), the
/// source it speaks for (one per series, change or alerting entity) and, for an anomaly episode, what it measures and
/// which way it moved.
/// </summary>
/// <remarks>Built only for the few events that are evidence; every other event is passed over by a type test.</remarks>
internal sealed class Evidence
{
    private static readonly string[] ChangeActions =
    [
        "deploy", "rollback", "config_change", "prompt_template_change", "model_switch", "policy_update",
        "scaling_change", "key_created", "key_revoked", "blocked_requests_review",
    ];

    private static readonly string[] RootActions = ["deploy", "config_change", "prompt_template_change", "policy_update", "scaling_change", "key_created"];

    /// <summary>Every category a change can move, the effect of a change kind that states nothing narrower (a deploy, a config change).</summary>
    private const int AnyEffect = -1;

    private static readonly string[] IgnoredAnomalyTags =
    [
        "source_module", "environment", "anomaly_phase", "metric", "statistic", "episode_start", "episode_end",
        "expected_lower", "expected_upper", "duration_seconds", "peak_score", "points", "detected_at",
        AnomalyStage.RiseRegionsTag,
    ];

    private Evidence(AnalyticsEvent evt, EvidenceKind kind, string source, string[] keys)
    {
        Event = evt;
        Ticks = evt.Timestamp.UtcTicks;
        Kind = kind;
        Source = source;
        Keys = keys;
    }

    /// <summary>The event.</summary>
    public AnalyticsEvent Event { get; }

    /// <summary>Its event time in ticks (an anomaly opening: the episode start; a closing: the episode end).</summary>
    public long Ticks { get; }

    /// <summary>
    /// When it became known, in ticks: an anomaly episode's <c>detected_at</c> tag (the end of the window its detector
    /// decided on), or <see cref="long.MinValue"/> for evidence known at its event time.
    /// </summary>
    public long DetectedTicks { get; private init; } = long.MinValue;

    /// <summary>What it is.</summary>
    public EvidenceKind Kind { get; }

    /// <summary>The source it speaks for: two pieces of evidence with one source count once towards <see cref="CorrelationStageOptions.MinimumSources"/>.</summary>
    public string Source { get; }

    /// <summary>The entities it names, <c>name=value</c>.</summary>
    public string[] Keys { get; }

    /// <summary>The key naming the region this evidence is in (<c>region=…</c>), or <see langword="null"/> when it names none.</summary>
    public string? RegionKey => Array.Find(Keys, static key => key.StartsWith("region=", StringComparison.Ordinal));

    /// <summary>Whether a change could have started an incident (a deploy, a policy update), rather than end or follow one (a rollback, a revocation).</summary>
    public bool CanBeRoot { get; private init; }

    /// <summary>
    /// For a change: the categories of signal it can move, one bit per <see cref="SignalCategory"/> (<see cref="Moves"/>).
    /// A prompt-template change moves completions, tokens and spend (what users send through the new prompt), never
    /// errors, latency or request counts; every other change kind moves anything.
    /// </summary>
    public int Effects { get; private init; }

    /// <summary>
    /// Whether a change moves only usage (tokens and spend): it acts through the traffic that arrives after it rather than
    /// at once, as a fault does, so its effect may surface long after it and it is kept dormant
    /// (<see cref="CorrelationStageOptions.DormantChangeWindow"/>).
    /// </summary>
    public bool ActsSlowly => Kind == EvidenceKind.Change && CanBeRoot && Effects != AnyEffect
        && (Effects & ~(Bit(SignalCategory.Tokens) | Bit(SignalCategory.Cost))) == 0;

    /// <summary>For a <c>model_switch</c> change: the model traffic was switched onto (its <c>to</c>), as a <c>model_id=</c> key; else <see langword="null"/>.</summary>
    public string? SwitchedTo { get; private init; }

    /// <summary>For a <c>model_switch</c> change: the model traffic was switched away from (its <c>from</c>), as a <c>model_id=</c> key; else <see langword="null"/>.</summary>
    public string? SwitchedFrom { get; private init; }

    /// <summary>What an anomaly's series measures; <see cref="SignalCategory.None"/> for anything else.</summary>
    public SignalCategory Category { get; private init; }

    /// <summary>+1 when an anomaly's series rose above its baseline, -1 when it fell; 0 for anything else.</summary>
    public int Direction { get; private init; }

    /// <summary>The anomaly score of an episode's opening (0 otherwise).</summary>
    public double Score { get; private init; }

    /// <summary>The metric of an anomaly episode (<c>measurement.field</c>), else <see langword="null"/>.</summary>
    public string? Metric { get; private init; }

    /// <summary>For an aggregate: the window's values (error rate in percent; or requests and tokens per second).</summary>
    public double[] Values { get; private init; } = [];

    /// <summary>For an aggregate: the requests its window counted (error rate) or 0.</summary>
    public double Weight { get; private init; }

    /// <summary>For an aggregate: its series (measurement, model, region), the key of its baseline.</summary>
    public string? Series { get; private init; }

    /// <summary>For a closing: the id of the episode's opening event.</summary>
    public Guid OpeningId { get; private init; }

    /// <summary>
    /// Whether it is a rise of a model in some of its regions: a rising anomaly episode of a model (its requests, tokens,
    /// spend or throughput, or a mean such as its latency or completion size) that the anomalies stage scoped to the
    /// region, or the regions, that carried the model's rise (docs/anomalies.md, "The scope of a volume episode"). It names
    /// its model's aggregates in those regions only (<see cref="Incident.RegionScopedModels"/>) and places nothing at the
    /// model's provider there.
    /// </summary>
    public bool IsRegionScopedRise => ScopedRegionKeys.Length > 0;

    /// <summary>
    /// The <c>region=</c> keys of the regions a rise of a model is scoped to (<see cref="IsRegionScopedRise"/>): the one
    /// region of its <c>region</c> tag, or the regions its <c>rise_regions</c> tag lists (several regions carried the rise,
    /// a busy one did not); empty for any other evidence.
    /// </summary>
    public string[] ScopedRegionKeys { get; private init; } = [];

    /// <summary>Whether the evidence leaves a model's aggregate in <paramref name="regionKey"/> out of its scope: it is a rise of the model scoped to other regions.</summary>
    public bool ScopeLeavesOut(string regionKey) => ScopedRegionKeys.Length > 0 && Array.IndexOf(ScopedRegionKeys, regionKey) < 0;

    /// <summary>The key's weight in the affinity of two pieces of evidence: 1 for entities that name one thing (a model, an address, a policy, a principal), less for shared ones.</summary>
    public static double WeightOf(string key)
    {
        var name = key.AsSpan(0, key.IndexOf('=', StringComparison.Ordinal));
        return name switch
        {
            "model_id" or "source_ip" or "policy_id" or "principal" => 1.0,
            "provider" or "tenant" or "feature" => 0.5,
            _ => 0.25,
        };
    }

    /// <summary>
    /// Classifies an event; <see langword="null"/> when it is not evidence (most events). An authentication carrying a
    /// <c>source_ip</c> is an access, not yet a root: whether its address is new is decided in event-time order by
    /// <see cref="EntryFromNewAddress"/>.
    /// </summary>
    /// <param name="evt">The event.</param>
    /// <param name="providers">The provider of each model seen in the window aggregates, to name an anomaly's provider.</param>
    public static Evidence? TryCreate(AnalyticsEvent evt, IReadOnlyDictionary<string, string> providers)
    {
        var tags = evt.Common.Tags;
        switch (evt.Payload)
        {
            case AuditTrailEvent audit when IsChange(audit.Action):
            {
                var keys = new List<string>(6);
                AddTags(keys, tags, ["model_id", "provider", "region", "tenant", "feature", "policy_id", "service"]);
                if (audit.Action is "key_revoked" or "key_created")
                {
                    keys.Add("principal=" + audit.ResourceId);
                }

                var primary = keys.Count > 0 ? keys[0] : audit.ResourceId;
                return new Evidence(evt, EvidenceKind.Change, "change:" + audit.Action + ":" + primary + ":" + evt.EventId.ToString("N"), [.. keys])
                {
                    CanBeRoot = Array.IndexOf(RootActions, audit.Action) >= 0,
                    Effects = EffectsOf(audit.Action),
                    SwitchedTo = audit.Action == "model_switch" ? SwitchEndpoint(audit, "to") : null,
                    SwitchedFrom = audit.Action == "model_switch" ? SwitchEndpoint(audit, "from") : null,
                };
            }

            case AuthEvent auth when tags.TryGetValue("source_ip", out var address):
            {
                var keys = new List<string>(4) { "source_ip=" + address, "principal=" + auth.UserId };
                AddTags(keys, tags, ["tenant"]);
                return new Evidence(evt, EvidenceKind.Access, "access:" + address, [.. keys]);
            }

            case ThreatEvent threat:
            {
                var keys = new List<string>(3);
                if (threat.SourceIp is { Length: > 0 } ip)
                {
                    keys.Add("source_ip=" + ip);
                }

                AddTags(keys, tags, ["tenant"]);
                return new Evidence(evt, EvidenceKind.Threat, "threat:" + (threat.SourceIp ?? threat.ThreatId), [.. keys]);
            }

            case BudgetAlertEvent alert when IsProjection(alert, tags):
            {
                var keys = new List<string>(2);
                AddTags(keys, tags, ["tenant"]);
                return new Evidence(evt, EvidenceKind.BudgetAlert, "budget:" + alert.BudgetId, [.. keys]);
            }

            case PolicyViolationEvent violation:
            {
                var keys = new List<string>(3) { "policy_id=" + violation.PolicyId };
                if (violation.UserId is { Length: > 0 } user)
                {
                    keys.Add("principal=" + user);
                }

                AddTags(keys, tags, ["tenant"]);
                return new Evidence(evt, EvidenceKind.PolicyViolation, "policy:" + violation.PolicyId, [.. keys]);
            }

            case CustomPayload { CustomType: AnomalyStage.CustomType } custom when evt.SourceModule == SourceModule.LlmAnalyticsHub:
                return Anomaly(evt, custom, providers);

            default:
                return null;
        }
    }

    /// <summary>
    /// An access as the entry point of its address: the access itself as a root when its tenant has not used its address
    /// before (the pair is added to <paramref name="knownAddresses"/>), else the access unchanged; any other evidence
    /// unchanged. Called in event-time order (the incident builder's grouping order), so the earliest access from an
    /// address is its entry point when it was delivered late within the allowed lateness: a collector that delivers a
    /// login after the accesses it let in does not make a later access the new one.
    /// </summary>
    /// <param name="knownAddresses">The (tenant, address) pairs seen so far, in event-time order.</param>
    public Evidence EntryFromNewAddress(HashSet<(string Tenant, string Address)> knownAddresses)
    {
        if (Kind != EvidenceKind.Access || CanBeRoot)
        {
            return this;
        }

        var tags = Event.Common.Tags;
        return knownAddresses.Add((tags.GetValueOrDefault("tenant") ?? string.Empty, tags["source_ip"]))
            ? new Evidence(Event, Kind, Source, Keys) { CanBeRoot = true }
            : this;
    }

    /// <summary>A window aggregate as evidence: its model, provider and region as entities, its values to score.</summary>
    public static Evidence Aggregate(AnalyticsEvent evt, string measurement, string model, double[] values)
    {
        // Built straight into its array (one window aggregate in twenty events): no list, no copy.
        var tags = evt.Common.Tags;
        var provider = tags.TryGetValue("provider", out var p) && p.Length > 0 ? p : null;
        var region = tags.GetValueOrDefault("region");
        var keys = new string[1 + (provider is null ? 0 : 1) + (string.IsNullOrEmpty(region) ? 0 : 1)];
        keys[0] = "model_id=" + model;
        if (provider is not null)
        {
            keys[1] = "provider=" + provider;
        }

        if (!string.IsNullOrEmpty(region))
        {
            keys[^1] = "region=" + region;
        }

        var series = string.Concat(measurement, ":", model, ":", region);
        return new Evidence(evt, EvidenceKind.Aggregate, "aggregate:" + series, keys)
        {
            Series = series,
            Values = values,
            Category = measurement == "error_rate" ? SignalCategory.Errors : SignalCategory.Traffic,
        };
    }

    /// <summary>The (provider, region) pair the evidence names, as its <c>provider=</c> and <c>region=</c> keys; <see langword="null"/> without both.</summary>
    public (string Provider, string Region)? PlacementOf()
    {
        string? provider = null, region = null;
        foreach (var key in Keys)
        {
            if (key.StartsWith("provider=", StringComparison.Ordinal))
            {
                provider = key;
            }
            else if (key.StartsWith("region=", StringComparison.Ordinal))
            {
                region = key;
            }
        }

        return provider is null || region is null ? null : (provider, region);
    }

    /// <summary>Whether a change can move signals of <paramref name="category"/> (<see cref="Effects"/>); true for any evidence that is not a change.</summary>
    public bool Moves(SignalCategory category) => Kind != EvidenceKind.Change || (Effects & Bit(category)) != 0;

    /// <summary>
    /// Whether a change can have moved <paramref name="effect"/>: an episode or alert of a category it moves, an error-rate
    /// aggregate when it moves errors, a throughput aggregate when it moves requests or tokens.
    /// </summary>
    public bool CanCause(Evidence effect) => effect.Kind switch
    {
        EvidenceKind.Aggregate when effect.Category == SignalCategory.Traffic => Moves(SignalCategory.Traffic) || Moves(SignalCategory.Tokens),
        EvidenceKind.Aggregate or EvidenceKind.Anomaly => Moves(effect.Category),
        EvidenceKind.BudgetAlert => Moves(SignalCategory.Cost),
        EvidenceKind.PolicyViolation => Moves(SignalCategory.Compliance),
        _ => Moves(SignalCategory.Security),
    };

    /// <summary>The bit of <paramref name="category"/> in <see cref="Effects"/>.</summary>
    public static int Bit(SignalCategory category) => 1 << (int)category;

    private static int EffectsOf(string action) => action switch
    {
        "prompt_template_change" => Bit(SignalCategory.Tokens) | Bit(SignalCategory.Cost),
        _ => AnyEffect,
    };

    /// <summary>Whether an audit action is one of the change actions.</summary>
    public static bool IsChange(string action) => Array.IndexOf(ChangeActions, action) >= 0;

    /// <summary>
    /// A budget alert projects spend when its producer says so (tag <c>forecast=true</c>) or when its threshold lies above
    /// the share of the budget already spent: the rate, not the total, set it off. Crossings of 50 or 80 % are routine.
    /// </summary>
    private static bool IsProjection(BudgetAlertEvent alert, IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue("forecast", out var forecast) ? forecast == "true"
        : alert.BudgetLimitUsd > 0 && alert.ThresholdPercent > (alert.CurrentSpendUsd / alert.BudgetLimitUsd * 100) + 1;

    private static Evidence? Anomaly(AnalyticsEvent evt, CustomPayload custom, IReadOnlyDictionary<string, string> providers)
    {
        var tags = evt.Common.Tags;
        if (!tags.TryGetValue("metric", out var metric))
        {
            return null;
        }

        var statistic = tags.GetValueOrDefault("statistic") ?? string.Empty;
        var keys = new List<string>(4);
        foreach (var (name, value) in tags)
        {
            if (Array.IndexOf(IgnoredAnomalyTags, name) < 0)
            {
                keys.Add(name + "=" + value);
            }
        }

        keys.Sort(StringComparer.Ordinal);
        var source = "series:" + metric + ":" + statistic + ":" + string.Join(',', keys);
        if (tags.TryGetValue("model_id", out var model) && !tags.ContainsKey("provider") && providers.TryGetValue(model, out var provider))
        {
            keys.Add("provider=" + provider);
        }

        var detected = tags.TryGetValue("detected_at", out var at)
            && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when.UtcTicks : long.MinValue;
        if (tags.ContainsKey("episode_end"))
        {
            return evt.Common.ParentEventId is { } opening
                ? new Evidence(evt, EvidenceKind.AnomalyClose, source, [.. keys]) { OpeningId = opening, DetectedTicks = detected }
                : null;
        }

        AnomalyEvent? anomaly;
        try
        {
            anomaly = custom.Data.ValueKind == JsonValueKind.Object ? custom.Data.Deserialize(AnomaliesJsonContext.Wire.AnomalyEvent) : null;
        }
        catch (JsonException)
        {
            anomaly = null;
        }

        var category = CategoryOf(metric, statistic);
        var direction = anomaly is null ? 1 : anomaly.Observed >= anomaly.Baseline ? 1 : -1;
        return new Evidence(evt, EvidenceKind.Anomaly, source, [.. keys])
        {
            DetectedTicks = detected,
            Category = category,
            Metric = metric,
            Direction = direction,
            ScopedRegionKeys = ScopedRegionKeysOf(tags, direction),
            Score = anomaly?.AnomalyScore ?? 0,
        };
    }

    /// <summary>
    /// The regions an anomaly episode's tags and direction scope a rise of a model to, as <c>region=</c> keys: a rising
    /// episode whose tags name a model and a region (the anomalies stage's detection series name no region, so the region
    /// is the scope it gave the episode, the one region that carried the model's rise, whatever the episode measures), or
    /// a model and the regions its <c>rise_regions</c> tag lists. Empty otherwise.
    /// </summary>
    private static string[] ScopedRegionKeysOf(IReadOnlyDictionary<string, string> tags, int direction)
    {
        if (direction <= 0 || !tags.ContainsKey("model_id"))
        {
            return [];
        }

        if (tags.TryGetValue("region", out var region))
        {
            return ["region=" + region];
        }

        return tags.TryGetValue(AnomalyStage.RiseRegionsTag, out var regions) && regions.Length > 0
            ? Array.ConvertAll(regions.Split(',', StringSplitOptions.RemoveEmptyEntries), static r => "region=" + r)
            : [];
    }

    /// <summary>The category of a series from its measurement; a count of requests is traffic whatever it counts.</summary>
    internal static SignalCategory CategoryOf(string metric, string statistic)
    {
        if (statistic == "count")
        {
            return SignalCategory.Traffic;
        }

        return metric switch
        {
            _ when metric.StartsWith("llm_latency.", StringComparison.Ordinal) => SignalCategory.Latency,
            _ when metric.StartsWith("llm_error_rate.", StringComparison.Ordinal) => SignalCategory.Errors,
            _ when metric.StartsWith("llm_throughput.", StringComparison.Ordinal) => SignalCategory.Traffic,
            _ when metric.StartsWith("llm_token_usage.", StringComparison.Ordinal) => SignalCategory.Tokens,
            _ when metric.StartsWith("cost_", StringComparison.Ordinal) => SignalCategory.Cost,
            _ when metric.StartsWith("security_", StringComparison.Ordinal) => SignalCategory.Security,
            _ when metric.StartsWith("governance_", StringComparison.Ordinal) => SignalCategory.Compliance,
            _ => SignalCategory.None,
        };
    }

    /// <summary>A <c>model_switch</c>'s <c>from</c> or <c>to</c> model as a <c>model_id=</c> key, when it is a string.</summary>
    private static string? SwitchEndpoint(AuditTrailEvent audit, string name) =>
        audit.Changes.TryGetValue(name, out var model) && model.ValueKind == JsonValueKind.String ? "model_id=" + model.GetString() : null;

    private static void AddTags(List<string> keys, IReadOnlyDictionary<string, string> tags, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (tags.TryGetValue(name, out var value) && value.Length > 0)
            {
                keys.Add(name + "=" + value);
            }
        }
    }
}
