namespace AnalyticsHub.TimeSeries;

/// <summary>
/// What one application of a <see cref="RetentionPolicy"/> at an instant does, for any backend to execute: which raw
/// points go, which become rollup buckets of which resolution, which rollup buckets fold into coarser ones, and which
/// rollup buckets go.
/// </summary>
/// <remarks>
/// <para>In order, a backend:</para>
/// <list type="number">
/// <item>drops raw points before <see cref="ShardDropBefore"/> (whole shards, counted as dropped) and, when
/// <see cref="Downsamples"/>, turns the other raw points before <see cref="RawCutoff"/> into buckets of
/// <see cref="RawResolutionTicks"/> (counted as downsampled; numeric fields only) and then deletes them; without
/// steps, every raw point before <see cref="RawCutoff"/> is dropped;</item>
/// <item>records <see cref="RawCutoff"/> as the measurement's raw horizon (queries read rollups below it);</item>
/// <item>per rollup series, per <see cref="Folds"/> step in order: the buckets of finer levels starting before its
/// cutoff fold into its resolution (a target bucket takes one source: itself when it exists, else the finer level
/// holding the most values in it — levels of one series summarise the same values);</item>
/// <item>drops the rollup buckets starting before <see cref="RollupDropBefore"/> of their resolution.</item>
/// </list>
/// <para>Applying the same plan twice changes nothing the second time.</para>
/// </remarks>
public sealed class RetentionPlan
{
    private RetentionPlan(DateTimeOffset now, long maxAge, long rawCutoff, long rawResolution, long shardDropBefore, IReadOnlyList<RetentionFold> folds)
    {
        Now = now;
        MaxAgeTicks = maxAge;
        RawCutoff = rawCutoff;
        RawResolutionTicks = rawResolution;
        ShardDropBefore = shardDropBefore;
        Folds = folds;
    }

    /// <summary>The instant ages are measured from.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Data before this instant (UTC ticks) is past the maximum retention.</summary>
    public long MaxAgeTicks { get; }

    /// <summary>Raw points before this instant (UTC ticks) leave full resolution: downsampled, or dropped when the policy has no steps.</summary>
    public long RawCutoff { get; }

    /// <summary>Raw points before this instant (UTC ticks) go with their shard (the maximum age floored to the shard width): dropped, not downsampled.</summary>
    public long ShardDropBefore { get; }

    /// <summary>Whether raw points are downsampled (the policy has steps).</summary>
    public bool Downsamples => RawResolutionTicks > 0;

    /// <summary>The resolution raw points are downsampled to (the first step's), in ticks; 0 without steps.</summary>
    public long RawResolutionTicks { get; }

    /// <summary>The rollup steps, in order: fold finer buckets starting before <see cref="RetentionFold.Before"/> into <see cref="RetentionFold.ResolutionTicks"/>.</summary>
    public IReadOnlyList<RetentionFold> Folds { get; }

    /// <summary>Plans a policy's application at <paramref name="now"/>.</summary>
    /// <param name="policy">A valid policy (<see cref="RetentionPolicy.Validate"/>).</param>
    /// <param name="now">The instant ages are measured from.</param>
    /// <returns>The plan.</returns>
    public static RetentionPlan Create(RetentionPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var nowTicks = now.UtcTicks;
        var maxAge = nowTicks - TimeSpan.FromDays(policy.MaxRetentionDays).Ticks;
        var shardDropBefore = Floor(maxAge, policy.ShardDurationHours * TimeSpan.TicksPerHour);
        var steps = policy.DownsampleConfigs ?? [];
        var folds = new RetentionFold[steps.Count];
        for (var i = 0; i < folds.Length; i++)
        {
            var resolution = TimeSpan.FromMinutes(steps[i].ResolutionMinutes).Ticks;
            folds[i] = new RetentionFold(resolution, Floor(nowTicks - TimeSpan.FromDays(steps[i].AfterDays).Ticks, resolution));
        }

        var rawResolution = folds.Length == 0 ? 0 : folds[0].ResolutionTicks;
        var rawCutoff = folds.Length == 0 ? shardDropBefore : Floor(nowTicks - TimeSpan.FromDays(policy.FullResolutionDays).Ticks, rawResolution);
        return new RetentionPlan(now, maxAge, rawCutoff, rawResolution, shardDropBefore, folds);
    }

    /// <summary>Rollup buckets of a resolution starting before this instant (UTC ticks) go: all of them is past the maximum age.</summary>
    /// <param name="resolutionTicks">The buckets' resolution.</param>
    /// <returns>The cutoff.</returns>
    public long RollupDropBefore(long resolutionTicks) => MaxAgeTicks - resolutionTicks + 1;

    /// <summary>The start of the bucket of <paramref name="width"/> holding <paramref name="ticks"/>, aligned to the Unix epoch (negative ticks too).</summary>
    /// <param name="ticks">The instant.</param>
    /// <param name="width">The bucket width, positive.</param>
    /// <returns>The bucket start.</returns>
    public static long Floor(long ticks, long width) => ticks - (((ticks % width) + width) % width);
}
