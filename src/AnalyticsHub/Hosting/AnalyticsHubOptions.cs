using AnalyticsHub.Anomalies;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Redaction;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Hosting;

/// <summary>Everything a host can set on the hub; validated when the hub starts, every problem in one message.</summary>
public sealed class AnalyticsHubOptions
{
    /// <summary>The queue, batching, backpressure, retries and shutdown.</summary>
    public IngestionOptions Ingestion { get; set; } = new();

    /// <summary>The thresholds of the hub's health check (<see cref="AnalyticsHubHealthCheck"/>).</summary>
    public AnalyticsHubHealthOptions Health { get; set; } = new();

    /// <summary>The validation limits (size, tags, future skew).</summary>
    public EventValidationOptions Validation { get; set; } = new();

    /// <summary>Redaction before storage.</summary>
    public RedactionOptions Redaction { get; set; } = new();

    /// <summary>Privacy by default: conversation content not stored unless opted in, identifiers pseudonymised on request.</summary>
    public PrivacyOptions Privacy { get; set; } = new();

    /// <summary>The windowed aggregation of every metric series (the <c>metrics</c> stage).</summary>
    public MetricsStageOptions Metrics { get; set; } = new();

    /// <summary>Anomaly detection on the closed one-minute metric windows (the <c>anomalies</c> stage).</summary>
    public AnomalyStageOptions Anomalies { get; set; } = new();

    /// <summary>Incident correlation across modules (the <c>correlation</c> stage, after <c>anomalies</c>).</summary>
    public Correlation.CorrelationStageOptions Correlation { get; set; } = new();

    /// <summary>How the hub's alerts (incidents, blocking policy violations) reach the host's <see cref="Alerts.IAlertSink"/>s: the queue and the drain at stop.</summary>
    public Alerts.AlertDeliveryOptions AlertDelivery { get; set; } = new();

    /// <summary>
    /// How often the hub applies the time-series store's retention policy (<see cref="AnalyticsHub.TimeSeries.ITimeSeriesStore.ApplyRetentionAsync"/>)
    /// on its <see cref="TimeProvider"/>: one hour by default, at most 30 days; <see cref="TimeSpan.Zero"/> leaves it to the host.
    /// </summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Pricing of <c>token_usage</c> (the price table) and the budgets to track.</summary>
    public Cost.CostOptions Cost { get; set; } = new();

    /// <summary>The metadata registry: measurements widgets and saved queries may name besides the hub's own.</summary>
    public Metadata.MetadataOptions Metadata { get; set; } = new();

    /// <summary>
    /// Names of stages to leave out of the pipeline, e.g. <c>["time_series"]</c>; every stage runs by default.
    /// The event store always runs.
    /// </summary>
    public string[]? DisabledStages { get; set; }

    /// <summary>Lists what is wrong with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Ingestion.Validate(problems);
        foreach (var problem in Validation.Validate())
        {
            problems.Add("Validation." + problem);
        }

        Redaction.Build(problems);
        Privacy.Validate(problems);
        Metrics.Validate(problems);
        Anomalies.Validate(problems);
        Correlation.Validate(problems);
        AlertDelivery.Validate(problems);
        if (RetentionInterval < TimeSpan.Zero || RetentionInterval > TimeSpan.FromDays(30))
        {
            problems.Add($"RetentionInterval must be between 0 and 30 days; it is {RetentionInterval}.");
        }

        Cost.Validate(problems);
        Metadata.Validate(problems);
        Health.Validate(problems);
        return problems;
    }
}
