namespace AnalyticsHub.Events;

/// <summary>A detected threat against the LLM system.</summary>
public sealed record ThreatEvent : SecurityPayload
{
    /// <inheritdoc/>
    public override SecurityType SecurityType => SecurityType.Threat;

    /// <summary>The threat's identifier.</summary>
    public required string ThreatId { get; init; }

    /// <summary>What kind of threat it is.</summary>
    public required ThreatType ThreatType { get; init; }

    /// <summary>How dangerous it is.</summary>
    public required ThreatLevel ThreatLevel { get; init; }

    /// <summary>Where it came from, when known.</summary>
    public string? SourceIp { get; init; }

    /// <summary>What it targeted.</summary>
    public required string TargetResource { get; init; }

    /// <summary>How it attacked.</summary>
    public required string AttackVector { get; init; }

    /// <summary>Where the response stands.</summary>
    public required MitigationStatus MitigationStatus { get; init; }

    /// <summary>Observed indicators of compromise.</summary>
    public IReadOnlyList<string> IndicatorsOfCompromise { get; init; } = [];
}
