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

    /// <summary>How far past the clock's now an event's timestamp may lie; 5 minutes by default.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Lists what is wrong with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxEventBytes is < 64 or > 64 * 1024 * 1024)
        {
            problems.Add($"MaxEventBytes must lie in 64..67108864 (64 MiB); it is {MaxEventBytes}.");
        }

        if (MaxTags < 0)
        {
            problems.Add($"MaxTags must not be negative; it is {MaxTags}.");
        }

        if (MaxTagKeyLength < 1)
        {
            problems.Add($"MaxTagKeyLength must be at least 1; it is {MaxTagKeyLength}.");
        }

        if (MaxTagValueLength < 0)
        {
            problems.Add($"MaxTagValueLength must not be negative; it is {MaxTagValueLength}.");
        }

        if (MaxFutureSkew < TimeSpan.Zero)
        {
            problems.Add($"MaxFutureSkew must not be negative; it is {MaxFutureSkew}.");
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
