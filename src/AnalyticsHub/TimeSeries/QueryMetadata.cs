namespace AnalyticsHub.TimeSeries;

/// <summary>What a time-series query did (spec 1.5 plus the additive fields of decision 9).</summary>
public sealed record QueryMetadata
{
    /// <summary>Wall time of the execution in milliseconds (rounded up, so never 0 for work done).</summary>
    public required ulong ExecutionTimeMs { get; init; }

    /// <summary>Points in the result.</summary>
    public required ulong PointCount { get; init; }

    /// <summary>Series in the result.</summary>
    public required ulong SeriesCount { get; init; }

    /// <summary>Whether the result was cut at a limit (see <see cref="Warnings"/>).</summary>
    public required bool Truncated { get; init; }

    /// <summary>What the caller should know about the answer.</summary>
    public IReadOnlyList<string> Warnings { get; init => field = value ?? []; } = [];

    /// <summary>Stored points read to answer (every point of each chunk the index and time pruning could not skip).</summary>
    public ulong? PointsScanned { get; init; }

    /// <summary>Groups (tag-value combinations) that had data, before paging.</summary>
    public ulong? GroupCount { get; init; }

    /// <summary>Which resolutions answered the query (<c>raw</c> for full-resolution data).</summary>
    public IReadOnlyList<string>? Resolutions { get; init; }
}
