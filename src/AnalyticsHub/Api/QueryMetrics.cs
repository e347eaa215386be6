namespace AnalyticsHub.Api;

/// <summary>What a query cost: time, records touched and returned.</summary>
public sealed record QueryMetrics
{
    /// <summary>Wall time of the query.</summary>
    /// <remarks>Milliseconds, rounded down (a fast in-memory query reports 0).</remarks>
    public ulong ExecutionTimeMs { get; init; }

    /// <summary>How many stored records the query examined, index entries included; the cost measure of an index.</summary>
    public ulong RecordsScanned { get; init; }

    /// <summary>How many records the answer holds.</summary>
    public ulong RecordsReturned { get; init; }

    /// <summary>Bytes read from storage.</summary>
    /// <remarks>0 for in-memory backends, which read no bytes.</remarks>
    public ulong BytesProcessed { get; init; }

    /// <summary>Whether the answer came from a cache.</summary>
    public bool FromCache { get; init; }

    /// <summary>How long a cached answer stays valid.</summary>
    /// <remarks>Seconds; left out of the JSON when absent.</remarks>
    public uint? CacheTtl { get; init; }
}
