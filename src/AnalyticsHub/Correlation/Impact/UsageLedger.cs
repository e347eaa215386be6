using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation.Impact;

/// <summary>
/// Per-minute usage of every (model, region, tenant) series, for impact assessment: requests, failed requests, their
/// latency and the demand (first attempts: a <c>latency</c> event naming no parent event; a retry names the attempt it
/// repeats) from the producers' <c>latency</c> events, and spend from the hub's own <c>token_cost</c> events (priced by
/// the hub's price table), with the spend on failed attempts apart and the squares of succeeded attempts' costs (for
/// the noise of their sum). Money is kept in <see cref="decimal"/>. Each series remembers the provider its latency
/// events name, so a scope can admit a provider's models in a region.
/// </summary>
/// <remarks>
/// <para>
/// Bounded: per series at most <see cref="Minutes"/> one-minute buckets, one per minute modulo <see cref="Minutes"/> (a
/// minute replaces the older one of its residue, and a minute older than the one kept for its residue is too late to
/// count), and at most <see cref="MaxSeries"/> series (further series are counted in <see cref="SeriesDropped"/>, not
/// tracked). The buckets are kept sparse, in ascending minute order: a series holds only the minutes it saw, so the many
/// thin (model, region, tenant) series of a wide tenant mix cost a few buckets each, not a six-hour ring. A bucket holds
/// the requests (32 bytes); the spend of a minute, which only the hub's priced <c>token_cost</c> events fill, is kept in
/// a second array of the series, one slot (40 bytes) per minute with spend, which the bucket names; a request-only minute
/// carries no money fields, and a minute with spend costs what one bucket with every field did. Both arrays grow by
/// doubling up to <see cref="Minutes"/>; the slot of a minute that leaves is reused.
/// </para>
/// <para>
/// One dictionary lookup per request event (its model, region and tenant) after one pass over the event's few tags
/// (<see cref="SeriesTags"/>); a new minute of a series scans that series' buckets once. Single-threaded.
/// </para>
/// </remarks>
internal sealed class UsageLedger
{
    /// <summary>The minutes each series keeps (six hours): the longest window plus baseline an assessment can read.</summary>
    public const int Minutes = 360;

    /// <summary>The most series tracked.</summary>
    public const int MaxSeries = 4096;

    private const long SeriesOverheadBytes = 160;
    private const long BucketBytes = 32;
    private const long SpendBytes = 40;

    private readonly Dictionary<(string Model, string Region, string Tenant), MinuteBuckets> _series = [];

    /// <summary>
    /// The same series by model, region and tenant, for the lookup per request event: three small string-keyed tables
    /// hash faster than one keyed by the three strings together. <see cref="_series"/> keeps the order sums walk in.
    /// </summary>
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, MinuteBuckets>>> _byModel = new(StringComparer.Ordinal);
    private long _bucketCapacity;
    private long _spendCapacity;

    /// <summary>The first minute any request was seen (<see cref="long.MaxValue"/> before any).</summary>
    public long FirstMinute { get; private set; } = long.MaxValue;

    /// <summary>Series not tracked because <see cref="MaxSeries"/> was reached.</summary>
    public long SeriesDropped { get; private set; }

    /// <summary>The series tracked.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Estimated bytes retained: the buckets allocated and a fixed cost per series.</summary>
    public long EstimatedBytes => (_series.Count * SeriesOverheadBytes) + (_bucketCapacity * BucketBytes) + (_spendCapacity * SpendBytes);

    /// <summary>Takes the next event: counts a producer's <c>latency</c> event or the hub's <c>token_cost</c> event, passes over the rest.</summary>
    public void Observe(AnalyticsEvent evt)
    {
        switch (evt.Payload)
        {
            case LatencyMetrics latency when evt.SourceModule != SourceModule.LlmAnalyticsHub:
            {
                var tags = SeriesTags.Of(evt.Common.Tags);
                var bucket = BucketOf(latency.ModelId, evt, tags);
                if (!bucket.IsNull)
                {
                    ref var b = ref bucket.Value;
                    b.Requests++;
                    b.Demand += evt.Common.ParentEventId is null ? 1 : 0;
                    b.LatencyMsSum += latency.TotalLatencyMs;
                    b.Failures += tags.Failed ? 1 : 0;
                }

                break;
            }

            case TokenCostEvent cost when evt.SourceModule == SourceModule.LlmAnalyticsHub && double.IsFinite(cost.TotalCostUsd):
            {
                var tags = SeriesTags.Of(evt.Common.Tags);
                var bucket = BucketOf(cost.ModelId, evt, tags);
                if (!bucket.IsNull)
                {
                    var usd = (decimal)cost.TotalCostUsd;
                    var capacity = bucket.SpendCapacity;
                    ref var b = ref bucket.Spend;
                    _spendCapacity += bucket.SpendCapacity - capacity;
                    b.CostUsd += usd;
                    if (tags.Failed)
                    {
                        b.FailedCostUsd += usd;
                    }
                    else
                    {
                        b.SucceededCostSquares += cost.TotalCostUsd * cost.TotalCostUsd;
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
        var first = Math.Max(fromMinute, toMinute - Minutes + 1);
        foreach (var ((model, region, tenant), buckets) in _series)
        {
            if (scope.Admits(model, region, tenant, buckets.Provider))
            {
                series++;
                Add(buckets, first, toMinute, ref totals);
            }
        }

        totals.Series = series;
        return totals;
    }

    /// <summary>
    /// The totals of the series a scope admits per (region, tenant) over the scope's models, for the window
    /// [<paramref name="fromMinute"/>, <paramref name="toMinute"/>] and the baseline's minute ranges
    /// <paramref name="baseline"/>: traffic a failover moved from one model to another stays in its pool. (Pools of one
    /// series each are the per-series pairs of <see cref="SumWindowAndBaseline"/>.)
    /// </summary>
    public List<(UsageTotals During, UsageTotals Before)> PoolsAcrossModels(UsageScope scope, long fromMinute, long toMinute, IReadOnlyList<(long First, long Last)> baseline)
    {
        var pools = new Dictionary<(string Region, string Tenant), (UsageTotals During, UsageTotals Before)>();
        foreach (var ((model, region, tenant), buckets) in _series)
        {
            if (!scope.Admits(model, region, tenant, buckets.Provider))
            {
                continue;
            }

            var key = (region, tenant);
            pools.TryGetValue(key, out var pool);
            pool.During.Series++;
            pool.Before.Series++;
            Add(buckets, Math.Max(fromMinute, toMinute - Minutes + 1), toMinute, ref pool.During);
            Add(buckets, baseline, ref pool.Before);
            pools[key] = pool;
        }

        return [.. pools.Values];
    }

    /// <summary>
    /// In one pass over the series: the totals of a window [<paramref name="fromMinute"/>, <paramref name="toMinute"/>]
    /// and of its baseline (the minute ranges <paramref name="baselineRanges"/>) over the series a scope admits (the sums
    /// of the series' own pairs), and each admitted series' own pair (for per-series checks such as SLA breaches, and the
    /// cost estimate's pools of one series).
    /// </summary>
    /// <param name="scope">The series to sum.</param>
    /// <param name="fromMinute">The window's first minute.</param>
    /// <param name="toMinute">The window's last minute.</param>
    /// <param name="baselineRanges">The baseline's minutes: disjoint ranges [First, Last], each within the minutes the ring holds.</param>
    /// <param name="perSeries">Receives each admitted series' window and baseline totals.</param>
    public (UsageTotals Window, UsageTotals Baseline) SumWindowAndBaseline(UsageScope scope, long fromMinute, long toMinute, IReadOnlyList<(long First, long Last)> baselineRanges,
        List<(UsageTotals Window, UsageTotals Baseline)> perSeries)
    {
        UsageTotals window = default, baseline = default;
        var windowFirst = Math.Max(fromMinute, toMinute - Minutes + 1);
        foreach (var ((model, region, tenant), buckets) in _series)
        {
            if (!scope.Admits(model, region, tenant, buckets.Provider))
            {
                continue;
            }

            UsageTotals ownWindow = default, ownBaseline = default;
            Add(buckets, windowFirst, toMinute, ref ownWindow);
            Add(buckets, baselineRanges, ref ownBaseline);
            ownWindow.Series = 1;
            ownBaseline.Series = 1;
            perSeries.Add((ownWindow, ownBaseline));
            window.Add(ownWindow);
            baseline.Add(ownBaseline);
        }

        return (window, baseline);
    }

    /// <summary>
    /// Adds, per minute of [<paramref name="firstMinute"/>, <paramref name="firstMinute"/> + the spans' length − 1], the
    /// requests and failures of the series a scope admits to <paramref name="requests"/> and <paramref name="failures"/>
    /// (index 0 is <paramref name="firstMinute"/>), in one pass over the series.
    /// </summary>
    public void AddRequestsAndFailuresPerMinute(UsageScope scope, long firstMinute, Span<long> requests, Span<long> failures)
    {
        var lastMinute = firstMinute + requests.Length - 1;
        foreach (var ((model, region, tenant), buckets) in _series)
        {
            if (!scope.Admits(model, region, tenant, buckets.Provider))
            {
                continue;
            }

            foreach (ref readonly var b in buckets.Items)
            {
                if (b.Minute >= firstMinute && b.Minute <= lastMinute)
                {
                    requests[(int)(b.Minute - firstMinute)] += b.Requests;
                    failures[(int)(b.Minute - firstMinute)] += b.Failures;
                }
            }
        }
    }

    /// <summary>Whether some series tracked is admitted by both scopes: the two incidents touch the same traffic.</summary>
    public bool Shared(UsageScope a, UsageScope b)
    {
        foreach (var ((model, region, tenant), buckets) in _series)
        {
            if (a.Admits(model, region, tenant, buckets.Provider) && b.Admits(model, region, tenant, buckets.Provider))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds the buckets of each minute range, in order (see <see cref="Add(MinuteBuckets, long, long, ref UsageTotals)"/>).</summary>
    private static void Add(MinuteBuckets buckets, IReadOnlyList<(long First, long Last)> ranges, ref UsageTotals totals)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            Add(buckets, ranges[i].First, ranges[i].Last, ref totals);
        }
    }

    /// <summary>
    /// Adds the buckets of the minutes [<paramref name="first"/>, <paramref name="last"/>], in their order, with the
    /// spend of those that have some (a minute without spend would add zeros, which change no sum).
    /// </summary>
    private static void Add(MinuteBuckets buckets, long first, long last, ref UsageTotals totals)
    {
        var spends = buckets.Spends;
        foreach (ref readonly var b in buckets.Items)
        {
            if (b.Minute >= first && b.Minute <= last)
            {
                totals.Requests += b.Requests;
                totals.Demand += b.Demand;
                totals.Failures += b.Failures;
                totals.LatencyMsSum += b.LatencyMsSum;
                if (b.Spend != 0)
                {
                    ref readonly var s = ref spends[b.Spend - 1];
                    totals.CostUsd += s.CostUsd;
                    totals.FailedCostUsd += s.FailedCostUsd;
                    totals.SucceededCostSquares += s.SucceededCostSquares;
                }
            }
        }
    }

    private NullableRef BucketOf(string model, AnalyticsEvent evt, in SeriesTags tags)
    {
        var region = tags.Region;
        var tenant = tags.Tenant;
        if (!_byModel.TryGetValue(model, out var regions) || !regions.TryGetValue(region, out var tenants) || !tenants.TryGetValue(tenant, out var buckets))
        {
            if (_series.Count >= MaxSeries)
            {
                SeriesDropped++;
                return default;
            }

            buckets = new MinuteBuckets();
            _bucketCapacity += buckets.Capacity;
            _series.Add((model, region, tenant), buckets);
            if (regions is null)
            {
                regions = new Dictionary<string, Dictionary<string, MinuteBuckets>>(StringComparer.Ordinal);
                _byModel.Add(model, regions);
            }

            if (!regions.TryGetValue(region, out tenants))
            {
                tenants = new Dictionary<string, MinuteBuckets>(StringComparer.Ordinal);
                regions.Add(region, tenants);
            }

            tenants.Add(tenant, buckets);
        }

        if (buckets.Provider is null && evt.Payload is LatencyMetrics && tags.Provider is { } provider)
        {
            buckets.Provider = provider;
        }

        var minute = evt.Timestamp.UtcTicks / TimeSpan.TicksPerMinute;
        FirstMinute = Math.Min(FirstMinute, minute);
        var capacity = buckets.Capacity;
        var index = buckets.IndexOf(minute);
        _bucketCapacity += buckets.Capacity - capacity;

        // Older than the minute kept for its residue: too late to count.
        return index < 0 ? default : new NullableRef(buckets, index);
    }

    /// <summary>
    /// The tags the ledger reads from an event: its series' region and tenant (empty when absent), the provider it
    /// names and whether it failed (<c>status</c> is <c>error</c>).
    /// </summary>
    /// <remarks>
    /// A small ordinal tag table, the usual case, is read in one pass comparing keys, without hashing: four lookups
    /// (region, tenant, provider, status) would hash four keys and probe the table four times per event. Any other
    /// table (a larger one, another comparer, another type) is read by one lookup per tag, all four every time.
    /// </remarks>
    internal readonly record struct SeriesTags(string Region, string Tenant, string? Provider, bool Failed)
    {
        /// <summary>The most tags read in one pass; a larger table is read by its lookups.</summary>
        public const int MaxScanned = 8;

        /// <summary>Reads the tags of one event.</summary>
        public static SeriesTags Of(IReadOnlyDictionary<string, string> tags)
        {
            if (tags is Dictionary<string, string> { Count: <= MaxScanned } table && IsOrdinal(table.Comparer))
            {
                string? region = null, tenant = null, provider = null, status = null;
                foreach (var (key, value) in table)
                {
                    switch (key)
                    {
                        case "region": region = value; break;
                        case "tenant": tenant = value; break;
                        case "provider": provider = value; break;
                        case "status": status = value; break;
                    }
                }

                return new SeriesTags(region ?? string.Empty, tenant ?? string.Empty, provider, status == "error");
            }

            return ByLookups(tags);
        }

        /// <summary>Reads the tags of one event by one lookup per tag (what <see cref="Of"/> returns for any table).</summary>
        public static SeriesTags ByLookups(IReadOnlyDictionary<string, string> tags) => new(
            tags.GetValueOrDefault("region") ?? string.Empty,
            tags.GetValueOrDefault("tenant") ?? string.Empty,
            tags.GetValueOrDefault("provider"),
            tags.TryGetValue("status", out var status) && status == "error");

        // A dictionary reports the comparer it was given (ordinal string tables hash without randomization inside, but
        // report StringComparer.Ordinal or the default comparer): both compare keys as the switch above does.
        private static bool IsOrdinal(IEqualityComparer<string> comparer) =>
            ReferenceEquals(comparer, StringComparer.Ordinal) || ReferenceEquals(comparer, EqualityComparer<string>.Default);
    }

    /// <summary>One minute of one series: its requests, and where its spend is.</summary>
    internal struct Bucket
    {
        public long Minute;
        public int Requests;
        public int Demand;
        public int Failures;

        /// <summary>1 + the minute's slot in the series' spend array, or 0 when the minute has no spend.</summary>
        public int Spend;
        public double LatencyMsSum;
    }

    /// <summary>The spend of one minute of one series (the slot its <see cref="Bucket.Spend"/> names).</summary>
    internal struct SpendBucket
    {
        public decimal CostUsd;
        public decimal FailedCostUsd;
        public double SucceededCostSquares;
    }

    private readonly struct NullableRef(MinuteBuckets? buckets, int index)
    {
        public bool IsNull => buckets is null;

        public ref Bucket Value => ref buckets!.Items[index];

        /// <summary>The spend of the bucket's minute, made (empty) when the minute has none yet.</summary>
        public ref SpendBucket Spend => ref buckets!.SpendOf(index);

        public int SpendCapacity => buckets!.SpendCapacity;
    }

    /// <summary>One series' buckets in ascending minute order, at most one per residue of the minute modulo <see cref="Minutes"/>.</summary>
    private sealed class MinuteBuckets
    {
        private Bucket[] _items = new Bucket[4];
        private int _count;
        private SpendBucket[] _spends = [];
        private int _spendCount;
        private Stack<int>? _freeSpends;

        /// <summary>The provider the series' latency events name (<see langword="null"/> before one names it).</summary>
        public string? Provider { get; set; }

        /// <summary>The buckets allocated.</summary>
        public int Capacity => _items.Length;

        /// <summary>The buckets, oldest minute first.</summary>
        public Span<Bucket> Items => _items.AsSpan(0, _count);

        /// <summary>The spend buckets allocated.</summary>
        public int SpendCapacity => _spends.Length;

        /// <summary>The spend slots (named by the buckets' <see cref="Bucket.Spend"/>).</summary>
        public ReadOnlySpan<SpendBucket> Spends => _spends.AsSpan(0, _spendCount);

        /// <summary>The spend of bucket <paramref name="index"/>'s minute, given a slot (empty) when it has none yet.</summary>
        public ref SpendBucket SpendOf(int index)
        {
            ref var bucket = ref _items[index];
            if (bucket.Spend == 0)
            {
                if (_freeSpends is { Count: > 0 } free)
                {
                    bucket.Spend = free.Pop() + 1;
                }
                else
                {
                    if (_spendCount == _spends.Length)
                    {
                        Array.Resize(ref _spends, Math.Min(Math.Max(_spends.Length * 2, 4), Minutes));
                    }

                    bucket.Spend = ++_spendCount;
                }
            }

            return ref _spends[bucket.Spend - 1];
        }

        /// <summary>Frees the spend slot of a bucket whose minute leaves.</summary>
        private void FreeSpend(in Bucket bucket)
        {
            if (bucket.Spend != 0)
            {
                _spends[bucket.Spend - 1] = default;
                (_freeSpends ??= new Stack<int>()).Push(bucket.Spend - 1);
            }
        }

        /// <summary>
        /// The index of the minute's bucket, made (empty) when the minute is new, replacing the older minute of its residue;
        /// -1 when a later minute of its residue is kept (the minute is too late).
        /// </summary>
        public int IndexOf(long minute)
        {
            var last = _count - 1;
            if (last >= 0 && _items[last].Minute == minute)
            {
                return last;
            }

            // The buckets hold distinct residues in ascending minute order, so the one bucket that may share the minute's
            // residue is the minute itself, a minute at least Minutes later (at the end) or at least Minutes earlier (at
            // the front): the buckets between lie less than Minutes away. A new latest minute, the usual case, looks only
            // at the front.
            var at = _count;
            while (at > 0 && _items[at - 1].Minute >= minute)
            {
                var kept = _items[at - 1].Minute;
                if (kept == minute)
                {
                    return at - 1;
                }

                if (kept - minute >= Minutes && (kept - minute) % Minutes == 0)
                {
                    return -1;
                }

                at--;
            }

            for (var i = 0; i < at && _items[i].Minute <= minute - Minutes; i++)
            {
                if ((minute - _items[i].Minute) % Minutes == 0)
                {
                    // The older minute of the same residue leaves, with its spend; the new one goes in its place in minute order below.
                    FreeSpend(in _items[i]);
                    Array.Copy(_items, i + 1, _items, i, _count - i - 1);
                    _count--;
                    at--;
                    break;
                }
            }

            if (_count == _items.Length)
            {
                Array.Resize(ref _items, Math.Min(_items.Length * 2, Minutes));
            }

            if (at < _count)
            {
                Array.Copy(_items, at, _items, at + 1, _count - at);
            }

            _items[at] = new Bucket { Minute = minute };
            _count++;
            return at;
        }
    }
}

/// <summary>Usage summed over some series and minutes.</summary>
internal struct UsageTotals
{
    /// <summary>The series summed.</summary>
    public int Series;

    /// <summary>Requests (attempts, retries included).</summary>
    public long Requests;

    /// <summary>First attempts (requests naming no parent event): the demand, retries left out.</summary>
    public long Demand;

    /// <summary>Requests that failed.</summary>
    public long Failures;

    /// <summary>Their summed latency, in milliseconds.</summary>
    public double LatencyMsSum;

    /// <summary>Spend priced by the hub, in USD.</summary>
    public decimal CostUsd;

    /// <summary>Spend on failed attempts, in USD.</summary>
    public decimal FailedCostUsd;

    /// <summary>The sum of the squared costs of succeeded attempts (USD²): the variance of their summed spend, each cost drawn independently.</summary>
    public double SucceededCostSquares;

    /// <summary>Adds another total's series, counts and sums.</summary>
    public void Add(in UsageTotals other)
    {
        Series += other.Series;
        Requests += other.Requests;
        Demand += other.Demand;
        Failures += other.Failures;
        LatencyMsSum += other.LatencyMsSum;
        CostUsd += other.CostUsd;
        FailedCostUsd += other.FailedCostUsd;
        SucceededCostSquares += other.SucceededCostSquares;
    }
}

/// <summary>Which (model, region, tenant) series an incident touches: per model, the regions and tenants its evidence names with it (any when none).</summary>
internal sealed class UsageScope
{
    private readonly Dictionary<string, (HashSet<string>? Regions, HashSet<string>? Tenants)> _models = new(StringComparer.Ordinal);
    private readonly HashSet<(string Provider, string Region)> _providers = [];

    /// <summary>Whether the scope names no model and no provider.</summary>
    public bool IsEmpty => _models.Count == 0 && _providers.Count == 0;

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

    /// <summary>Whether the scope admits a provider's models (<see cref="AddProvider"/>): traffic moved between its models.</summary>
    public bool HasProviders => _providers.Count > 0;

    /// <summary>Adds every model of a provider in a region, every tenant (the traffic a failover moved away from it).</summary>
    public void AddProvider(string provider, string region) => _providers.Add((provider, region));

    /// <summary>Whether the scope admits a series of a model (of <paramref name="provider"/>, when known).</summary>
    public bool Admits(string model, string region, string tenant, string? provider = null) =>
        (_models.TryGetValue(model, out var entry) && (entry.Regions is null || entry.Regions.Contains(region)) && (entry.Tenants is null || entry.Tenants.Contains(tenant)))
        || (provider is not null && _providers.Contains((provider, region)));
}
