using System.Text.Json.Serialization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// Which correlations to read (wire format 1.6 <c>CorrelationQuery</c>): around a seed event, within a window, above a
/// strength, of some types and modules, following links up to a depth.
/// </summary>
public sealed record CorrelationQuery
{
    // The defaulted members have setters, not init accessors: the source-generated reader passes every init-only member
    // to the object initializer and would reset a default to zero when the JSON leaves the member out.

    /// <summary>The event whose correlations to read (required in JSON); the nil UUID reads the latest window without a seed (see <see cref="CorrelationQueryPlan"/>).</summary>
    [JsonRequired]
    public Guid SeedEventId { get; init; }

    /// <summary>How far around the seed event's time (or back from the newest detection without a seed) to look, in minutes, 1 to 44,640 (required in JSON).</summary>
    [JsonRequired]
    public long TimeWindowMinutes { get; init; }

    /// <summary>The least strength to return, in [0, 1]; 0.7 by default.</summary>
    public double MinStrength { get; set; } = 0.7;

    /// <summary>The types to return (any of them); all when empty.</summary>
    public IReadOnlyList<CorrelationType> CorrelationTypes { get; init => field = value ?? []; } = [];

    /// <summary>The modules a correlation must involve (any of them); all when empty.</summary>
    public IReadOnlyList<SourceModule> IncludeModules { get; init => field = value ?? []; } = [];

    /// <summary>How many links away from the seed to follow, 1 to 16; 5 by default.</summary>
    public uint MaxDepth { get; set; } = 5;
}

/// <summary>How the correlation engine runs (wire format 1.6 <c>CorrelationConfig</c>).</summary>
public sealed record CorrelationConfig
{
    /// <summary>Whether incidents are detected on the stream; true by default.</summary>
    public bool AutoDetect { get; set; } = true;

    /// <summary>The patterns to match, besides the built-in rules.</summary>
    public IReadOnlyList<CorrelationPattern> Patterns { get; init => field = value ?? []; } = [];

    /// <summary>How far apart in event time two pieces of evidence may be and still join one incident; 60 by default.</summary>
    public long CorrelationWindowMinutes { get; set; } = 60;

    /// <summary>The fewest members an incident needs to be reported; 2 by default.</summary>
    public uint MinEvents { get; set; } = 2;

    /// <summary>When an incident raises an alert.</summary>
    public AlertThresholds AlertThresholds { get; init => field = value ?? new(); } = new();
}

/// <summary>When a correlation result is an alert rather than an audit record (wire format 1.6 <c>AlertThresholds</c>).</summary>
public sealed record AlertThresholds
{
    /// <summary>The least strength of an alerting correlation; 0.8 by default.</summary>
    public double MinCorrelationStrength { get; set; } = 0.8;

    /// <summary>The least anomaly score of an alerting anomaly; 0.7 by default.</summary>
    public double MinAnomalyScore { get; set; } = 0.7;

    /// <summary>The impact score from which an incident is critical; 0.9 by default.</summary>
    public double CriticalImpactThreshold { get; set; } = 0.9;
}
