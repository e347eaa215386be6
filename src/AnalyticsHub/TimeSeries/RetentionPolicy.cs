using System.Globalization;
using AnalyticsHub.Events;

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

    /// <summary>
    /// Lists what makes the policy unusable, each with the JSON path of the offending member: steps must come in
    /// increasing age and resolution, each resolution whole minutes dividing a day (or a day) and a multiple of the
    /// previous one, the first step starting where full resolution ends, and every age within the maximum.
    /// </summary>
    /// <returns>The errors; empty when the policy is usable.</returns>
    public IReadOnlyList<Problem> Validate()
    {
        var errors = new List<Problem>();
        void Fail(string path, string message) => errors.Add(new(ProblemCodes.InvalidRetentionPolicy, path, message));
        if (string.IsNullOrEmpty(Name))
        {
            Fail("name", "The policy needs a name.");
        }

        if (ShardDurationHours == 0)
        {
            Fail("shard_duration_hours", "Shards must be at least one hour wide.");
        }

        if (MaxRetentionDays == 0)
        {
            Fail("max_retention_days", "Data must be kept at least one day.");
        }

        if (FullResolutionDays > MaxRetentionDays)
        {
            Fail("full_resolution_days", $"Full resolution ({FullResolutionDays} days) cannot outlast the maximum retention ({MaxRetentionDays} days).");
        }

        var steps = DownsampleConfigs ?? [];
        for (var i = 0; i < steps.Count; i++)
        {
            var path = "downsample_configs[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            var step = steps[i];
            if (step is null)
            {
                Fail(path, "The step is null.");
                continue;
            }

            if (!RollupBucket.IsValidResolution(TimeSpan.FromMinutes(step.ResolutionMinutes)))
            {
                Fail(path + ".resolution_minutes", $"{step.ResolutionMinutes} minutes is not a resolution the store keeps (whole minutes dividing a day, or 1440).");
            }

            if (step.AfterDays > MaxRetentionDays)
            {
                Fail(path + ".after_days", $"The step starts after {step.AfterDays} days, beyond the maximum retention of {MaxRetentionDays} days.");
            }

            if (i == 0 && step.AfterDays != FullResolutionDays)
            {
                Fail(path + ".after_days", $"The first step must start where full resolution ends ({FullResolutionDays} days), or the data between would be lost.");
            }

            if (i > 0 && steps[i - 1] is { } previous)
            {
                if (step.AfterDays <= previous.AfterDays)
                {
                    Fail(path + ".after_days", "Steps must come in increasing age.");
                }

                if (previous.ResolutionMinutes == 0 || step.ResolutionMinutes <= previous.ResolutionMinutes || step.ResolutionMinutes % previous.ResolutionMinutes != 0)
                {
                    Fail(path + ".resolution_minutes", $"{step.ResolutionMinutes} minutes must be a larger multiple of the previous step's {previous.ResolutionMinutes}.");
                }
            }
        }

        return errors;
    }
}
