namespace AnalyticsHub.TimeSeries;

/// <summary>How long time-series data is kept and at which resolution, and how it is partitioned in time.</summary>
public sealed record RetentionPolicy
{
    /// <summary>The policy's name.</summary>
    public required string Name { get; init; }

    /// <summary>Days kept at full resolution.</summary>
    public required uint FullResolutionDays { get; init; }

    /// <summary>The downsampling steps, by increasing age.</summary>
    public required IReadOnlyList<DownsampleConfig> DownsampleConfigs { get; init; }

    /// <summary>Days after which data is dropped.</summary>
    public required uint MaxRetentionDays { get; init; }

    /// <summary>The width of a time partition (shard) in hours; retention drops whole shards.</summary>
    public required uint ShardDurationHours { get; init; }

    /// <summary>
    /// The spec's default: 7 days at full resolution, then 5 minutes after 7 days, 60 minutes after 30 days,
    /// 1,440 minutes after 90 days; 365 days in all; 24-hour shards.
    /// </summary>
    public static RetentionPolicy Default { get; } = new()
    {
        Name = "default",
        FullResolutionDays = 7,
        DownsampleConfigs =
        [
            new DownsampleConfig { AfterDays = 7, ResolutionMinutes = 5 },
            new DownsampleConfig { AfterDays = 30, ResolutionMinutes = 60 },
            new DownsampleConfig { AfterDays = 90, ResolutionMinutes = 1440 },
        ],
        MaxRetentionDays = 365,
        ShardDurationHours = 24,
    };
}
