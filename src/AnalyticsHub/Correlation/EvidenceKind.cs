namespace AnalyticsHub.Correlation;

/// <summary>What a piece of evidence is, as the correlation stage sorts the events it groups.</summary>
internal enum EvidenceKind
{
    /// <summary>A change event of decision 17 (deploy, rollback, config or template change, model switch, policy update, key change).</summary>
    Change,

    /// <summary>An authentication from an address the tenant has not used before.</summary>
    Access,

    /// <summary>A security threat.</summary>
    Threat,

    /// <summary>A budget alert that projects spend (a rate change), not a routine threshold crossing.</summary>
    BudgetAlert,

    /// <summary>A policy violation.</summary>
    PolicyViolation,

    /// <summary>The opening of an anomaly episode (a derived <c>anomaly</c> event).</summary>
    Anomaly,

    /// <summary>A window aggregate (<c>error_rate</c>, <c>throughput</c>) of a model in a region: joins the incidents that name its entities once its series has moved.</summary>
    Aggregate,

    /// <summary>The closing of an anomaly episode: updates the episode's member, is not one itself.</summary>
    AnomalyClose,
}
