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
    /// <param name="filter">The filters; <see cref="EventQuery.From"/> and <see cref="EventQuery.To"/> are the range and required.</param>
    /// <param name="bucket">The bucket width, a whole number of seconds.</param>
    /// <returns>The problems (paths <c>from</c>, <c>to</c>, <c>bucket</c> and the filters'); empty when valid.</returns>
    public static IReadOnlyList<Problem> Validate(EventQuery filter, TimeSpan bucket)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var problems = new List<Problem>(filter.ValidateFilter());
        if (filter.From is null)
        {
            problems.Add(new Problem(ProblemCodes.MissingField, ProblemSeverity.Error, "from", "from is required."));
        }

        if (filter.To is null)
        {
            problems.Add(new Problem(ProblemCodes.MissingField, ProblemSeverity.Error, "to", "to is required."));
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var range = new TimeRange(filter.From!.Value, filter.To!.Value);

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

    /// <summary>Counts the events matching <paramref name="filter"/> of each module in each bucket of its range.</summary>
    /// <param name="store">The store to count in.</param>
    /// <param name="filter">The filters; its <c>from</c>..<c>to</c> is the range, and the first and last buckets are cut to it; with source modules, only those are counted.</param>
    /// <param name="bucket">The bucket width.</param>
    /// <param name="cancellationToken">Cancels the counting.</param>
    /// <returns>One entry per bucket in time order, with a count per module that has events in it.</returns>
    /// <exception cref="InvalidQueryException">The arguments fail <see cref="Validate"/>.</exception>
    public static async ValueTask<IReadOnlyList<EventRateBucket>> CountAsync(IEventStore store, EventQuery filter, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (Validate(filter, bucket) is { Count: > 0 } problems)
        {
            throw new InvalidQueryException(problems[0].Message, problems);
        }

        var range = new TimeRange(filter.From!.Value, filter.To!.Value);
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
                if (filter.SourceModules is { } wanted && !wanted.Contains((SourceModule)m))
                {
                    continue;
                }

                var query = filter with { From = from, To = to, SourceModules = [(SourceModule)m], Cursor = null, Page = 1 };
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
