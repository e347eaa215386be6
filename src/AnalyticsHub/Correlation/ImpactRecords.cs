using System.Text.Json.Serialization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>How bad an incident is (wire format 1.6 <c>ImpactAssessment</c>).</summary>
public sealed record ImpactAssessment
{
    /// <summary>The severity band of the impact score (decision 23).</summary>
    public required ImpactSeverity Severity { get; init; }

    /// <summary>The modules whose series the incident moved.</summary>
    public required IReadOnlyList<SourceModule> AffectedModules { get; init; }

    /// <summary>Latency, throughput and errors (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PerformanceImpact? PerformanceImpact { get; init; }

    /// <summary>Money (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CostImpact? CostImpact { get; init; }

    /// <summary>Threats and exposure (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SecurityImpact? SecurityImpact { get; init; }

    /// <summary>Users, tenants and agreements (left out of the JSON when null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BusinessImpact? BusinessImpact { get; init; }

    /// <summary>
    /// The band of a 0..1 impact score (decision 23): below 0.2 negligible, below 0.4 low, below 0.6 medium, below
    /// 0.8 high, else critical. A score outside [0, 1] is clamped; NaN is refused.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is NaN.</exception>
    public static ImpactSeverity SeverityOf(double score)
    {
        if (double.IsNaN(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "The impact score must be a number.");
        }

        return score switch
        {
            < 0.2 => ImpactSeverity.Negligible,
            < 0.4 => ImpactSeverity.Low,
            < 0.6 => ImpactSeverity.Medium,
            < 0.8 => ImpactSeverity.High,
            _ => ImpactSeverity.Critical,
        };
    }

    /// <summary>The response time of a severity band: none, 24 hours, 4 hours, 1 hour, immediate (<see cref="TimeSpan.Zero"/>); null for negligible.</summary>
    public static TimeSpan? ResponseTimeOf(ImpactSeverity severity) => severity switch
    {
        ImpactSeverity.Negligible => null,
        ImpactSeverity.Low => TimeSpan.FromHours(24),
        ImpactSeverity.Medium => TimeSpan.FromHours(4),
        ImpactSeverity.High => TimeSpan.FromHours(1),
        _ => TimeSpan.Zero,
    };
}

/// <summary>What an incident did to latency, throughput and errors, against the affected series' baseline.</summary>
public sealed record PerformanceImpact
{
    /// <summary>Latency above baseline, in percent.</summary>
    public required double LatencyIncreasePercent { get; init; }

    /// <summary>Throughput below baseline, in percent.</summary>
    public required double ThroughputDecreasePercent { get; init; }

    /// <summary>Error rate above baseline, in percentage points.</summary>
    public required double ErrorRateIncreasePercent { get; init; }

    /// <summary>Requests served during the incident by the affected entities.</summary>
    public required ulong AffectedRequests { get; init; }
}

/// <summary>What an incident cost (money in decimal, written as JSON numbers).</summary>
public sealed record CostImpact
{
    /// <summary>The spend over what the same traffic would have cost at baseline, in USD.</summary>
    public required decimal AdditionalCostUsd { get; init; }

    /// <summary>The additional cost relative to the baseline cost, in percent.</summary>
    public required double CostIncreasePercent { get; init; }

    /// <summary>Spend on attempts that failed, in USD.</summary>
    public required decimal WastedResourcesUsd { get; init; }
}

/// <summary>What an incident exposed.</summary>
public sealed record SecurityImpact
{
    /// <summary>Threats detected during the incident.</summary>
    public required ulong ThreatsDetected { get; init; }

    /// <summary>Vulnerabilities exposed.</summary>
    public required ulong VulnerabilitiesExposed { get; init; }

    /// <summary>Whether data was at risk.</summary>
    public required bool DataAtRisk { get; init; }

    /// <summary>Compliance violations recorded.</summary>
    public required ulong ComplianceViolations { get; init; }
}

/// <summary>Who an incident touched.</summary>
public sealed record BusinessImpact
{
    /// <summary>Distinct users of the affected requests.</summary>
    public required ulong UsersAffected { get; init; }

    /// <summary>Service-level objectives breached.</summary>
    public required ulong SlaViolations { get; init; }

    /// <summary>The revenue lost, when the host knows it (written as null otherwise).</summary>
    public decimal? RevenueImpactUsd { get; init; }

    /// <summary>The reputation risk.</summary>
    public required ReputationRisk ReputationRisk { get; init; }
}
