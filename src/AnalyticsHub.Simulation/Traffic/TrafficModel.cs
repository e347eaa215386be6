namespace AnalyticsHub.Simulation.Traffic;

/// <summary>
/// The simulator's expected request rates, read from its own traffic model (tenant shares, each tenant's
/// model mix, home regions, the daily and weekly shape, the nightly batch), and the rule that decides whether
/// extra traffic moves a (model, region) series enough to be listed in the truth.
/// </summary>
/// <remarks>
/// A series moves materially when the requests an incident adds over its plateau stand <see cref="MaterialZ"/>
/// standard deviations above what the series' count over the same span varies by without the incident: the
/// Poisson variance of the count plus the rate's own wander (<see cref="RequestSource"/>'s AR(1) in log space,
/// stationary standard deviation 0.12 × noise, taken whole: as if every tenant wandered together and the wander
/// did not average out over the plateau). For a busy series the test is a relative rise of at least 3 × 0.12 ×
/// noise (0.36 on the medium tier, 0.54 on the hard one); a quiet one needs more.
/// </remarks>
internal sealed class TrafficModel
{
    /// <summary>How many standard deviations of the series' own variation a rise must reach: the three-sigma convention.</summary>
    public const double MaterialZ = 3.0;

    /// <summary>The share of a tenant's requests of a feature that go to its primary model (the rest to its secondary).</summary>
    public const double PrimaryShare = 0.85;

    private readonly IReadOnlyList<TenantProfile> _tenants;
    private readonly bool _nightlyBatch;
    private readonly double _intervalSeconds;

    public TrafficModel(IReadOnlyList<TenantProfile> tenants, double peakRequestsPerSecond, bool nightlyBatch, double noise, int aggregateIntervalSeconds)
    {
        _tenants = tenants;
        PeakRequestsPerSecond = peakRequestsPerSecond;
        _nightlyBatch = nightlyBatch;
        RateWander = 0.12 * noise;
        _intervalSeconds = aggregateIntervalSeconds;
    }

    public double PeakRequestsPerSecond { get; }

    /// <summary>The rate's relative wander (stationary standard deviation in log space).</summary>
    public double RateWander { get; }

    /// <summary>The nightly batch's rate (requests per second, between 02:00 and 03:00): it runs as the first tenant on model 1.</summary>
    public double BatchRate => Math.Max(0.05, 0.8 * PeakRequestsPerSecond);

    public static TrafficModel For(ScenarioConfig config, World world) =>
        new(world.Tenants, config.World.PeakRequestsPerSecond, config.NightlyBatch, config.Knobs.Noise, config.World.AggregateIntervalSeconds);

    /// <summary>The share of a tenant's interactive requests that go to <paramref name="model"/>.</summary>
    public static double ModelShare(TenantProfile tenant, int model)
    {
        var share = 0.0;
        var previous = 0.0;
        for (var f = 0; f < tenant.FeatureCdf.Length; f++)
        {
            var weight = tenant.FeatureCdf[f] - previous;
            previous = tenant.FeatureCdf[f];
            share += tenant.PrimaryModel[f] == model ? PrimaryShare * weight : 0;
            share += tenant.SecondaryModel[f] == model ? (1 - PrimaryShare) * weight : 0;
        }

        return share;
    }

    /// <summary>A tenant's expected interactive request rate at <paramref name="ticks"/>, without incidents.</summary>
    public double TenantRate(TenantProfile tenant, long ticks) => PeakRequestsPerSecond * tenant.Share * SimTime.Shape(ticks);

    /// <summary>The expected request rate of a (model, region) series at <paramref name="ticks"/>, without incidents.</summary>
    public double SeriesRate(int model, int region, long ticks)
    {
        var rate = 0.0;
        foreach (var tenant in _tenants)
        {
            if (tenant.Region == region)
            {
                rate += TenantRate(tenant, ticks) * ModelShare(tenant, model);
            }
        }

        var hour = SimTime.HourOfDay(ticks);
        if (_nightlyBatch && _tenants.Count > 0 && model == 1 && region == _tenants[0].Region && hour is >= 2 and < 3)
        {
            rate += BatchRate;
        }

        return rate;
    }

    /// <summary>
    /// How many standard deviations of the series' own variation over <paramref name="seconds"/> (the incident's
    /// plateau, at least one aggregate interval) the added requests stand for: added count ÷ √(count + (wander ×
    /// count)²), with one request's variance as a floor.
    /// </summary>
    public double RiseZ(double addedPerSecond, double baselinePerSecond, double seconds)
    {
        var span = Math.Max(seconds, _intervalSeconds);
        var added = addedPerSecond * span;
        var count = baselinePerSecond * span;
        var spread = RateWander * count;
        return added / Math.Sqrt(Math.Max(count, 1) + (spread * spread));
    }

    /// <summary>Whether the added rate moves the series materially over <paramref name="seconds"/> (<see cref="RiseZ"/> ≥ <see cref="MaterialZ"/>).</summary>
    public bool IsMaterial(double addedPerSecond, double baselinePerSecond, double seconds) => RiseZ(addedPerSecond, baselinePerSecond, seconds) >= MaterialZ;
}
