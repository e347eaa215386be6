using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation.Impact;

/// <summary>
/// Per-minute usage of every (model, region, tenant) series, for impact assessment: requests, failed requests and their
/// latency from the producers' <c>latency</c> events, and spend from the hub's own <c>token_cost</c> events (priced by the
/// hub's price table), with the spend on failed attempts apart. Money is kept in <see cref="decimal"/>.
/// </summary>
/// <remarks>
/// Bounded: a ring of <see cref="Minutes"/> one-minute buckets per series and at most <see cref="MaxSeries"/> series
/// (further series are counted in <see cref="SeriesDropped"/>, not tracked). One dictionary lookup per request event.
/// Single-threaded.
/// </remarks>
internal sealed class UsageLedger
{
    /// <summary>The minutes each series keeps (six hours): the longest window plus baseline an assessment can read.</summary>
    public const int Minutes = 360;

    /// <summary>The most series tracked.</summary>
    public const int MaxSeries = 4096;

    private readonly Dictionary<(string Model, string Region, string Tenant), Bucket[]> _series = [];

    /// <summary>The first minute any request was seen (<see cref="long.MaxValue"/> before any).</summary>
    public long FirstMinute { get; private set; } = long.MaxValue;

    /// <summary>Series not tracked because <see cref="MaxSeries"/> was reached.</summary>
    public long SeriesDropped { get; private set; }

    /// <summary>The series tracked.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Estimated bytes retained.</summary>
    public long EstimatedBytes => _series.Count * ((Minutes * 56L) + 160);

    /// <summary>Takes the next event: counts a producer's <c>latency</c> event or the hub's <c>token_cost</c> event, passes over the rest.</summary>
    public void Observe(AnalyticsEvent evt)
    {
        switch (evt.Payload)
        {
            case LatencyMetrics latency when evt.SourceModule != SourceModule.LlmAnalyticsHub:
            {
                var bucket = BucketOf(latency.ModelId, evt);
                if (!bucket.IsNull)
                {
                    ref var b = ref bucket.Value;
                    b.Requests++;
                    b.LatencyMsSum += latency.TotalLatencyMs;
                    b.Failures += Failed(evt) ? 1 : 0;
                }

                break;
            }

            case TokenCostEvent cost when evt.SourceModule == SourceModule.LlmAnalyticsHub && double.IsFinite(cost.TotalCostUsd):
            {
                var bucket = BucketOf(cost.ModelId, evt);
                if (!bucket.IsNull)
                {
                    var usd = (decimal)cost.TotalCostUsd;
                    ref var b = ref bucket.Value;
                    b.CostUsd += usd;
                    if (Failed(evt))
                    {
                        b.FailedCostUsd += usd;
                    }
                }

                break;
            }
        }
    }

    /// <summary>The totals over the series a scope admits, for the minutes [<paramref name="fromMinute"/>, <paramref name="toMinute"/>] the ring still holds.</summary>
    public UsageTotals Sum(UsageScope scope, long fromMinute, long toMinute)
    {
        var totals = default(UsageTotals);
        var series = 0;
        foreach (var ((model, region, tenant), ring) in _series)
        {
            if (!scope.Admits(model, region, tenant))
            {
                continue;
            }

            series++;
            for (var minute = Math.Max(fromMinute, toMinute - Minutes + 1); minute <= toMinute; minute++)
            {
                ref readonly var b = ref ring[(int)(((minute % Minutes) + Minutes) % Minutes)];
                if (b.Minute == minute)
                {
                    totals.Requests += b.Requests;
                    totals.Failures += b.Failures;
                    totals.LatencyMsSum += b.LatencyMsSum;
                    totals.CostUsd += b.CostUsd;
                    totals.FailedCostUsd += b.FailedCostUsd;
                }
            }
        }

        totals.Series = series;
        return totals;
    }

    /// <summary>The scope's series, each as a scope of its own (for per-series checks such as SLA breaches).</summary>
    public IEnumerable<UsageScope> SeriesIn(UsageScope scope)
    {
        foreach (var (model, region, tenant) in _series.Keys)
        {
            if (scope.Admits(model, region, tenant))
            {
                yield return UsageScope.Exactly(model, region, tenant);
            }
        }
    }

    private static bool Failed(AnalyticsEvent evt) => evt.Common.Tags.TryGetValue("status", out var status) && status == "error";

    private NullableRef BucketOf(string model, AnalyticsEvent evt)
    {
        var tags = evt.Common.Tags;
        var key = (model, tags.GetValueOrDefault("region") ?? string.Empty, tags.GetValueOrDefault("tenant") ?? string.Empty);
        if (!_series.TryGetValue(key, out var ring))
        {
            if (_series.Count >= MaxSeries)
            {
                SeriesDropped++;
                return default;
            }

            ring = new Bucket[Minutes];
            for (var i = 0; i < ring.Length; i++)
            {
                ring[i].Minute = long.MinValue;
            }

            _series.Add(key, ring);
        }

        var minute = evt.Timestamp.UtcTicks / TimeSpan.TicksPerMinute;
        FirstMinute = Math.Min(FirstMinute, minute);
        var slot = (int)(((minute % Minutes) + Minutes) % Minutes);
        if (ring[slot].Minute != minute)
        {
            if (ring[slot].Minute > minute)
            {
                // Older than the ring holds: too late to count.
                return default;
            }

            ring[slot] = new Bucket { Minute = minute };
        }

        return new NullableRef(ring, slot);
    }

    /// <summary>One minute of one series.</summary>
    internal struct Bucket
    {
        public long Minute;
        public int Requests;
        public int Failures;
        public double LatencyMsSum;
        public decimal CostUsd;
        public decimal FailedCostUsd;
    }

    private readonly struct NullableRef(Bucket[]? ring, int slot)
    {
        public bool IsNull => ring is null;

        public ref Bucket Value => ref ring![slot];
    }
}

/// <summary>Usage summed over some series and minutes.</summary>
internal struct UsageTotals
{
    /// <summary>The series summed.</summary>
    public int Series;

    /// <summary>Requests (attempts, retries included).</summary>
    public long Requests;

    /// <summary>Requests that failed.</summary>
    public long Failures;

    /// <summary>Their summed latency, in milliseconds.</summary>
    public double LatencyMsSum;

    /// <summary>Spend priced by the hub, in USD.</summary>
    public decimal CostUsd;

    /// <summary>Spend on failed attempts, in USD.</summary>
    public decimal FailedCostUsd;
}

/// <summary>Which (model, region, tenant) series an incident touches: per model, the regions and tenants its evidence names with it (any when none).</summary>
internal sealed class UsageScope
{
    private readonly Dictionary<string, (HashSet<string>? Regions, HashSet<string>? Tenants)> _models = new(StringComparer.Ordinal);

    /// <summary>Whether the scope names no model.</summary>
    public bool IsEmpty => _models.Count == 0;

    /// <summary>The models named.</summary>
    public IEnumerable<string> Models => _models.Keys;

    /// <summary>A scope of one series.</summary>
    public static UsageScope Exactly(string model, string region, string tenant)
    {
        var scope = new UsageScope();
        scope._models[model] = ([region], [tenant]);
        return scope;
    }

    /// <summary>
    /// Adds what one piece of evidence names: its model, restricted to its region and tenant when it names them. A
    /// model named once without a region (or tenant) admits every region (or tenant).
    /// </summary>
    public void Add(string model, string? region, string? tenant)
    {
        if (!_models.TryGetValue(model, out var entry))
        {
            entry = (region is null ? null : new HashSet<string>(StringComparer.Ordinal), tenant is null ? null : new HashSet<string>(StringComparer.Ordinal));
        }
        else
        {
            entry = (region is null ? null : entry.Regions, entry.Tenants);
        }

        if (region is not null)
        {
            entry.Regions?.Add(region);
        }

        if (tenant is not null)
        {
            entry.Tenants ??= new HashSet<string>(StringComparer.Ordinal);
            entry.Tenants.Add(tenant);
        }

        _models[model] = entry;
    }

    /// <summary>Whether the scope admits a series.</summary>
    public bool Admits(string model, string region, string tenant) =>
        _models.TryGetValue(model, out var entry) && (entry.Regions is null || entry.Regions.Contains(region)) && (entry.Tenants is null || entry.Tenants.Contains(tenant));
}
