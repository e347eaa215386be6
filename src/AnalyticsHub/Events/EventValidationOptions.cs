namespace AnalyticsHub.Events;

/// <summary>The limits that events are validated against (spec decision 7), with the spec's defaults.</summary>
public sealed record EventValidationOptions
{
    /// <summary>The largest accepted event, in bytes of JSON; 1 MiB by default.</summary>
    public int MaxEventBytes { get; init; } = 1024 * 1024;

    /// <summary>The most tags an event may carry; 64 by default.</summary>
    public int MaxTags { get; init; } = 64;

    /// <summary>The longest tag key, in characters; 128 by default.</summary>
    public int MaxTagKeyLength { get; init; } = 128;

    /// <summary>The longest tag value, in characters; 1,024 by default.</summary>
    public int MaxTagValueLength { get; init; } = 1024;

    /// <summary>How far past the clock's now an event's timestamp may lie; 5 minutes by default, at most 365 days.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most items one batch (a JSON array, NDJSON, or a stream) may hold; 10,000 by default, 1 to 10,000,000.
    /// The item past the limit is refused with <c>too_many_items</c> and nothing after it is read, so one request's
    /// results and work are bounded whatever it sends.
    /// </summary>
    public int MaxBatchItems { get; init; } = 10_000;

    /// <summary>The largest <see cref="MaxFutureSkew"/>: beyond it the skew is meaningless, and the clock plus it could overflow.</summary>
    public static readonly TimeSpan MaxFutureSkewLimit = TimeSpan.FromDays(365);

    /// <summary>Lists what is wrong with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxEventBytes is < 64 or > 64 * 1024 * 1024)
        {
            problems.Add($"MaxEventBytes must lie in 64..67108864 (64 MiB); it is {MaxEventBytes}.");
        }

        if (MaxTags is < 0 or > 100_000)
        {
            problems.Add($"MaxTags must lie in 0..100000; it is {MaxTags}.");
        }

        if (MaxTagKeyLength is < 1 or > 65_536)
        {
            problems.Add($"MaxTagKeyLength must lie in 1..65536; it is {MaxTagKeyLength}.");
        }

        if (MaxTagValueLength is < 0 or > 1_048_576)
        {
            problems.Add($"MaxTagValueLength must lie in 0..1048576; it is {MaxTagValueLength}.");
        }

        if (MaxFutureSkew < TimeSpan.Zero || MaxFutureSkew > MaxFutureSkewLimit)
        {
            problems.Add($"MaxFutureSkew must lie between 0 and {MaxFutureSkewLimit.TotalDays} days; it is {MaxFutureSkew}.");
        }

        if (MaxBatchItems is < 1 or > 10_000_000)
        {
            problems.Add($"MaxBatchItems must lie in 1..10000000; it is {MaxBatchItems}.");
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems, naming all of them in one message.</summary>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid event validation options: " + string.Join(" ", problems));
        }
    }
}
