namespace AnalyticsHub.TimeSeries;

/// <summary>One downsampling step of a <see cref="RetentionPolicy"/>: data older than <see cref="AfterDays"/> kept at <see cref="ResolutionMinutes"/>.</summary>
public sealed record DownsampleConfig
{
    /// <summary>The age in days after which the step applies.</summary>
    public required uint AfterDays { get; init; }

    /// <summary>The resolution kept from then on, in minutes.</summary>
    public required uint ResolutionMinutes { get; init; }
}
