using System.Text.Json;

namespace AnalyticsHub.Events;

/// <summary>
/// A payload of any shape: a name (<c>custom_type</c>) and arbitrary JSON (<c>data</c>, which may be
/// <c>null</c>). The hub's own derived events (anomalies, correlations) are custom payloads.
/// </summary>
public sealed record CustomPayload : EventPayload
{
    /// <inheritdoc/>
    public override PayloadType PayloadType => PayloadType.Custom;

    /// <inheritdoc/>
    public override string Subtype => CustomType;

    /// <summary>The producer's name for this kind of payload, e.g. <c>anomaly</c>.</summary>
    public required string CustomType { get; init; }

    /// <summary>The payload's JSON; <c>default</c> or a JSON <c>null</c> are written as <c>null</c>.</summary>
    public JsonElement Data { get; init; }
}
