using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Events;

/// <summary>A telemetry payload; the variant is named by <see cref="TelemetryType"/> (the <c>telemetry_type</c> tag).</summary>
public abstract record TelemetryPayload : EventPayload
{
    private protected TelemetryPayload()
    {
    }

    /// <inheritdoc/>
    public sealed override PayloadType PayloadType => PayloadType.Telemetry;

    /// <summary>The variant of this telemetry payload.</summary>
    public abstract TelemetryType TelemetryType { get; }

    /// <inheritdoc/>
    public sealed override string Subtype => WireEnums.TelemetryType.GetName(TelemetryType);

    /// <summary>The model the measurement is about.</summary>
    public required string ModelId { get; init; }
}
