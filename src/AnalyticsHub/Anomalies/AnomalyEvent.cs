using System.Text.Json.Serialization;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// An anomaly on one series (spec 1.6 <c>AnomalyEvent</c>): what was expected, what was seen and how unusual it was.
/// The hub's <c>anomalies</c> stage writes it as the <c>data</c> of a custom payload with <c>custom_type</c>
/// <c>anomaly</c> (decision 16); read and write it with <see cref="AnomaliesJsonContext"/>.
/// </summary>
public sealed record AnomalyEvent
{
    /// <summary>Gets the id of the event that carries this anomaly (the derived event's <c>event_id</c>).</summary>
    public required Guid EventId { get; init; }

    /// <summary>Gets the module whose series is anomalous (the series' <c>source_module</c> tag), e.g. <c>llm-observatory</c>.</summary>
    [JsonConverter(typeof(SourceModuleJsonConverter))]
    public required SourceModule SourceModule { get; init; }

    /// <summary>Gets the kind of anomaly.</summary>
    public required AnomalyType AnomalyType { get; init; }

    /// <summary>Gets how anomalous the point is, in [0, 1]; higher is more anomalous.</summary>
    public required double AnomalyScore { get; init; }

    /// <summary>Gets the value the detector expected.</summary>
    public required double Baseline { get; init; }

    /// <summary>Gets the value seen.</summary>
    public required double Observed { get; init; }

    /// <summary>Gets <see cref="Observed"/> minus <see cref="Baseline"/>.</summary>
    public required double Deviation { get; init; }

    /// <summary>Gets the time of the anomalous point (the start of its one-minute window), UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the series' metric, e.g. <c>mean(llm_latency.latency_ms)</c> (statistic of the metric per window).</summary>
    public required string Metric { get; init; }
}
