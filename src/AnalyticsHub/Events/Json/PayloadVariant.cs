namespace AnalyticsHub.Events.Json;

/// <summary>One payload variant of the catalog: its family and variant names, its fields, and its time-series measurement.</summary>
internal sealed class PayloadVariant
{
    public PayloadVariant(PayloadType family, string variant, ObjectSchema schema, string measurement, string? eventCount)
    {
        Family = family;
        FamilyName = WireEnums.PayloadType.GetName(family);
        Variant = variant;
        Schema = schema;
        Measurement = measurement;
        EventCount = eventCount;
    }

    public PayloadType Family { get; }

    /// <summary>The family's wire name (<c>telemetry</c>).</summary>
    public string FamilyName { get; }

    /// <summary>The variant's wire name (<c>latency</c>; <c>custom</c> for custom payloads).</summary>
    public string Variant { get; }

    public ObjectSchema Schema { get; }

    /// <summary>The measurement of the event's time-series point.</summary>
    public string Measurement { get; }

    /// <summary>The point field that counts events (1 per event), or null.</summary>
    public string? EventCount { get; }
}
