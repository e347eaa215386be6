namespace AnalyticsHub.Storage;

/// <summary>How many events one time bucket holds, in all and per source module.</summary>
public sealed record EventRateBucket
{
    /// <summary>The bucket's start (aligned to the Unix epoch).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Events in the bucket (within the range asked for).</summary>
    public required ulong Total { get; init; }

    /// <summary>Events per module wire name (e.g. <c>llm-sentinel</c>); modules without events are left out.</summary>
    public required IReadOnlyDictionary<string, ulong> ByModule { get; init; }
}
