namespace AnalyticsHub.TimeSeries;

/// <summary>One observation: a measurement at an instant, with indexed tags and typed fields.</summary>
public sealed record TimeSeriesPoint
{
    /// <summary>The measurement (the series family), e.g. <c>llm_request</c>.</summary>
    public required string Measurement { get; init; }

    /// <summary>When the observation was made (event time), always UTC: other offsets are converted on init.</summary>
    public required DateTimeOffset Timestamp
    {
        get;
        init => field = value.ToUniversalTime();
    }

    /// <summary>The tags; together with <see cref="Measurement"/> they name the series.</summary>
    public required TagSet Tags { get; init; }

    /// <summary>The observed values; at least one is required to store the point.</summary>
    public required FieldSet Fields { get; init; }

    /// <summary>Optional free-form metadata (not stored by the columnar backends, not indexed).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
