using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// Naive baseline <c>time_bucket</c>: every fixed five-minute bucket of event time (aligned to the Unix
/// epoch) that holds an event is one incident of type <c>temporal</c>; its three earliest events are the
/// ranked roots; its extra cost is its token cost above the median bucket's.
/// </summary>
/// <remarks>
/// Fixed buckets, not chained gaps: with steady traffic, chaining events less than five minutes apart
/// would make the whole scenario one incident. Events are bucketed by their own timestamps, so late
/// events land in the bucket they claim. Memory: the ids of every event observed. Not thread-safe.
/// </remarks>
public sealed class TimeBucketIncidentEngine : IIncidentEngine
{
    /// <summary>The engine's name.</summary>
    public const string EngineName = "time_bucket";

    /// <summary>The bucket width.</summary>
    public static readonly TimeSpan BucketWidth = TimeSpan.FromMinutes(5);

    private readonly Dictionary<long, Bucket> _buckets = [];
    private long _sequence;

    /// <inheritdoc/>
    public string Name => EngineName;

    /// <inheritdoc/>
    public void Observe(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var ticks = evt.Timestamp.UtcTicks;
        // UtcTicks count from 0001-01-01, which is a whole number of five-minute buckets before the Unix epoch.
        var key = ticks / BucketWidth.Ticks;
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket();
            _buckets.Add(key, bucket);
        }

        bucket.Ids.Add(evt.EventId);
        bucket.Earliest.Add(ticks, _sequence++, evt.EventId);
        if (evt.Payload is TokenCostEvent cost)
        {
            bucket.CostUsd += cost.TotalCostUsd;
            bucket.Requests++;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<PredictedIncident> Finish()
    {
        var keys = _buckets.Keys.ToArray();
        Array.Sort(keys);
        var costs = new double[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            costs[i] = _buckets[keys[i]].CostUsd;
        }

        var median = Median(costs);
        var incidents = new PredictedIncident[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var bucket = _buckets[keys[i]];
            incidents[i] = new PredictedIncident
            {
                EventIds = bucket.Ids,
                CorrelationTypes = [CorrelationType.Temporal],
                RootCandidates = bucket.Earliest.ToCandidates(),
                Impact = new PredictedImpact { AdditionalCostUsd = Math.Max(0, bucket.CostUsd - median), AffectedRequests = bucket.Requests },
            };
        }

        _buckets.Clear();
        return incidents;
    }

    /// <summary>The median by linear interpolation between closest ranks (spec decision 10); 0 for no values.</summary>
    internal static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var h = (sorted.Length - 1) * 0.5;
        var lo = (int)Math.Floor(h);
        var hi = (int)Math.Ceiling(h);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    private sealed class Bucket
    {
        public List<Guid> Ids { get; } = [];

        public EarliestEvents Earliest { get; } = new();

        public double CostUsd { get; set; }

        public long Requests { get; set; }
    }
}
