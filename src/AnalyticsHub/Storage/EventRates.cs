using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Storage;

/// <summary>Counts stored events per time bucket and source module: the ingest rate a dashboard draws.</summary>
/// <remarks>
/// Buckets align to the Unix epoch; counts come from <see cref="IEventStore.CountAsync"/>, which indexes on time and
/// module answer without reading events. Event time decides the bucket.
/// </remarks>
public static class EventRates
{
    /// <summary>The most buckets one call computes (a day of minutes).</summary>
    public const int MaxBuckets = 1440;

    /// <summary>Checks the arguments of <see cref="CountAsync"/>.</summary>
    /// <param name="range">The event-time range.</param>
    /// <param name="bucket">The bucket width, a whole number of seconds.</param>
    /// <returns>The problems (paths <c>from</c>, <c>to</c>, <c>bucket</c>); empty when valid.</returns>
    public static IReadOnlyList<Problem> Validate(TimeRange range, TimeSpan bucket)
    {
        var problems = new List<Problem>();
        if (!range.IsValid)
        {
            problems.Add(new Problem(ProblemCodes.InvalidTimeRange, ProblemSeverity.Error, "to", "to must be later than from."));
        }

        if (bucket < TimeSpan.FromSeconds(1) || bucket.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            problems.Add(new Problem(ProblemCodes.InvalidWindow, ProblemSeverity.Error, "bucket", "bucket must be a whole number of seconds, at least 1."));
        }
        else if (range.IsValid && BucketCount(range, bucket) > MaxBuckets)
        {
            problems.Add(new Problem(
                ProblemCodes.TooManyBuckets,
                ProblemSeverity.Error,
                "bucket",
                string.Create(CultureInfo.InvariantCulture, $"The range holds {BucketCount(range, bucket)} buckets of {bucket.TotalSeconds} s; at most {MaxBuckets} are allowed. Widen the bucket or narrow the range.")));
        }

        return problems;
    }

    /// <summary>Counts the events of each module in each bucket that overlaps <paramref name="range"/>.</summary>
    /// <param name="store">The store to count in.</param>
    /// <param name="range">The event-time range; the first and last buckets are cut to it.</param>
    /// <param name="bucket">The bucket width.</param>
    /// <param name="cancellationToken">Cancels the counting.</param>
    /// <returns>One entry per bucket in time order, with a count per module that has events in it.</returns>
    /// <exception cref="ArgumentException">The arguments fail <see cref="Validate"/>.</exception>
    public static async ValueTask<IReadOnlyList<EventRateBucket>> CountAsync(IEventStore store, TimeRange range, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (Validate(range, bucket) is { Count: > 0 } problems)
        {
            throw new ArgumentException(problems[0].Message, nameof(range));
        }

        var buckets = new List<EventRateBucket>();
        var modules = WireEnums.SourceModule.Names;
        for (var start = AlignDown(range.Start, bucket); start < range.End; start += bucket)
        {
            var from = start < range.Start ? range.Start : start;
            var end = start + bucket;
            var to = end > range.End ? range.End : end;
            var counts = new Dictionary<string, ulong>(StringComparer.Ordinal);
            ulong total = 0;
            for (var m = 0; m < modules.Length; m++)
            {
                var query = new EventQuery { From = from, To = to, SourceModules = [(SourceModule)m] };
                var count = await store.CountAsync(query, cancellationToken).ConfigureAwait(false);
                if (count > 0)
                {
                    counts[modules[m]] = count;
                    total += count;
                }
            }

            buckets.Add(new EventRateBucket { Start = start, Total = total, ByModule = counts });
        }

        return buckets;
    }

    private static long BucketCount(TimeRange range, TimeSpan bucket)
    {
        var first = AlignDown(range.Start, bucket);
        return (range.End - first).Ticks / bucket.Ticks + ((range.End - first).Ticks % bucket.Ticks == 0 ? 0 : 1);
    }

    private static DateTimeOffset AlignDown(DateTimeOffset instant, TimeSpan bucket)
    {
        var sinceEpoch = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var floor = sinceEpoch - (((sinceEpoch % bucket.Ticks) + bucket.Ticks) % bucket.Ticks);
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + floor, TimeSpan.Zero);
    }
}
