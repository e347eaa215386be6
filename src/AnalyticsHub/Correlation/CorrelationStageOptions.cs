using AnalyticsHub.Correlation.Topology;
using AnalyticsHub.Correlation.Patterns;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// The <c>correlation</c> stage: groups evidence (anomaly episodes, change events, security events, budget alerts, policy
/// violations) into incidents on event time and reports each incident's lifecycle as derived <c>correlation</c> events
/// (see docs/correlation.md). Leave it out with <c>DisabledStages = ["correlation"]</c>.
/// </summary>
public sealed class CorrelationStageOptions
{
    /// <summary>
    /// How far behind the newest event time evidence may arrive and still be grouped as if it had come in order (default
    /// 10 minutes). Evidence is held this long before it is grouped; later evidence is grouped when it arrives.
    /// </summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest quiet spell of event time inside one incident (default 15 minutes): an incident closes when no evidence joined it for this long and none of its anomaly episodes is still open.</summary>
    public TimeSpan IncidentGap { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far apart two pieces of evidence may lie and still count as aligned in time (default 5 minutes): the lag bound of the co-onset and propagation rules.</summary>
    public TimeSpan AlignmentWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest an incident stays open (default 12 hours); it closes then even with episodes still open.</summary>
    public TimeSpan MaxIncidentDuration { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The most incidents open at once (default 1,000); at the cap the least recently active one is closed early and counted.</summary>
    public int MaxOpenIncidents { get; set; } = 1_000;

    /// <summary>The most members listed per incident (default 2,000); further evidence is counted in the incident's <c>members_omitted</c> metadata.</summary>
    public int MaxMembersPerIncident { get; set; } = 2_000;

    /// <summary>The least number of distinct evidence sources (series, change events, alerts) that makes a group an incident (default 2).</summary>
    public int MinimumSources { get; set; } = 2;

    /// <summary>
    /// How far the summed deviations of a window-aggregate series since an incident's onset must go, |Σz| / √n, before its
    /// aggregates join the incident (default 3).
    /// </summary>
    public double AggregateMoveThreshold { get; set; } = 3;

    /// <summary>
    /// How long a change that moves only usage (a prompt-template change: completions, tokens and spend) stays dormant
    /// after its own candidate closes unreported, waiting for a rising episode of a kind it can cause on what it names
    /// (default 1 hour, the time a gradual effect takes to reach full size; zero turns dormancy off). See
    /// docs/correlation.md, "Dormant changes".
    /// </summary>
    public TimeSpan DormantChangeWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// When an incident raises an alert for the host's <see cref="AnalyticsHub.Alerts.IAlertSink"/>s (defaults: strength 0.8, anomaly
    /// score 0.7, critical impact 0.9); the lifecycle events are <c>alert</c> rather than <c>audit</c> from the same strength.
    /// </summary>
    public AlertThresholds Alerts { get; set; } = new();

    private readonly List<CorrelationPattern> _patterns = [];

    /// <summary>The patterns of <see cref="AddPattern"/>, in order (a method: the configuration binder binds properties, and a pattern's required members do not bind).</summary>
    internal IReadOnlyList<CorrelationPattern> GetPatterns() => _patterns;

    /// <summary>
    /// Adds a sequence to match over the stream (none by default): a match sets <c>pattern</c> and the type
    /// <c>pattern_match</c> on the incident that holds one of its events. Checked at start: each problem names its option
    /// path (<c>Correlation.Patterns[0].Sequence[1].Conditions.slow</c>) and a code (see docs/correlation.md, "Patterns").
    /// </summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>These options, for chaining.</returns>
    public CorrelationStageOptions AddPattern(CorrelationPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _patterns.Add(pattern);
        return this;
    }

    /// <summary>
    /// Who calls whom among the entities incidents name, for root-cause ranking; none by default (an entity then moves
    /// only itself).
    /// </summary>
    /// <remarks>
    /// Services are entity keys as the events' tags name them: <c>feature=chat</c> calling <c>model_id=gpt-4o</c>
    /// calling <c>provider=openai</c>. A change to an entity is then related to effects on the entities that depend on it,
    /// 0.75 per call (docs/correlation.md, "Root cause"). Do not change the graph after the hub starts.
    /// </remarks>
    public DependencyGraph? Dependencies { get; set; }

    internal void Validate(List<string> problems)
    {
        var patternProblems = new List<Problem>();
        PatternCompiler.Compile(_patterns, "Correlation.Patterns", patternProblems);
        foreach (var problem in patternProblems)
        {
            problems.Add(PatternCompiler.Describe(problem));
        }

        if (Alerts is null)
        {
            problems.Add("Correlation.Alerts must be set.");
        }
        else
        {
            foreach (var (name, value) in new[] { ("MinCorrelationStrength", Alerts.MinCorrelationStrength), ("MinAnomalyScore", Alerts.MinAnomalyScore), ("CriticalImpactThreshold", Alerts.CriticalImpactThreshold) })
            {
                if (!(value >= 0 && value <= 1))
                {
                    problems.Add($"Correlation.Alerts.{name} {value} must lie in 0..1.");
                }
            }
        }

        if (AllowedLateness < TimeSpan.Zero || AllowedLateness > TimeSpan.FromHours(6))
        {
            problems.Add($"Correlation.AllowedLateness {AllowedLateness} must lie between zero and 6 hours.");
        }

        if (IncidentGap < TimeSpan.FromMinutes(1) || IncidentGap > TimeSpan.FromDays(1))
        {
            problems.Add($"Correlation.IncidentGap {IncidentGap} must lie between one minute and one day.");
        }

        if (AlignmentWindow <= TimeSpan.Zero || AlignmentWindow > IncidentGap)
        {
            problems.Add($"Correlation.AlignmentWindow {AlignmentWindow} must be positive and at most IncidentGap ({IncidentGap}).");
        }

        if (MaxIncidentDuration < IncidentGap || MaxIncidentDuration > TimeSpan.FromDays(30))
        {
            problems.Add($"Correlation.MaxIncidentDuration {MaxIncidentDuration} must lie between IncidentGap ({IncidentGap}) and 30 days.");
        }

        if (MaxOpenIncidents < 1)
        {
            problems.Add($"Correlation.MaxOpenIncidents {MaxOpenIncidents} must be at least 1.");
        }

        if (MaxMembersPerIncident < 2)
        {
            problems.Add($"Correlation.MaxMembersPerIncident {MaxMembersPerIncident} must be at least 2.");
        }

        if (!(AggregateMoveThreshold >= 1 && AggregateMoveThreshold <= 20))
        {
            problems.Add($"Correlation.AggregateMoveThreshold {AggregateMoveThreshold} must lie in 1..20.");
        }

        if (DormantChangeWindow < TimeSpan.Zero || DormantChangeWindow > TimeSpan.FromHours(6))
        {
            problems.Add($"Correlation.DormantChangeWindow {DormantChangeWindow} must lie between zero and 6 hours.");
        }

        if (MinimumSources < 1)
        {
            problems.Add($"Correlation.MinimumSources {MinimumSources} must be at least 1.");
        }
    }
}
