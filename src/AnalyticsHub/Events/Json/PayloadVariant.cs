namespace AnalyticsHub.Events.Json;

/// <summary>One payload variant of the catalog: its family and variant names, its fields, and its time-series measurement.</summary>
/// <param name="Family">The payload family.</param>
/// <param name="Variant">The variant's wire name (<c>latency</c>; <c>custom</c> for custom payloads).</param>
/// <param name="Schema">The variant's fields, in wire order, and how to build its record.</param>
/// <param name="Measurement">The measurement of the event's time-series point.</param>
/// <param name="EventCount">The point field that counts events (1 per event), or null.</param>
internal sealed record PayloadVariant(PayloadType Family, string Variant, ObjectSchema Schema, string Measurement, string? EventCount)
{
    /// <summary>The family's wire name (<c>telemetry</c>).</summary>
    public string FamilyName => WireEnums.PayloadType.GetName(Family);
}
