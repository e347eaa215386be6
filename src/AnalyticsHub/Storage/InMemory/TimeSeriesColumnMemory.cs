namespace AnalyticsHub.Storage.InMemory;

/// <summary>The sealed bytes of one column name (<c>timestamp</c> or a field) under one codec, in <see cref="TimeSeriesMemoryReport"/>.</summary>
public sealed record TimeSeriesColumnMemory
{
    /// <summary>The column: <c>timestamp</c> or the field name.</summary>
    public required string Column { get; init; }

    /// <summary>The codec, e.g. <c>delta</c>, <c>decimal-scaled frame-of-reference</c>, <c>raw-bits frame-of-reference</c>.</summary>
    public required string Codec { get; init; }

    /// <summary>Sealed chunks whose column uses this codec.</summary>
    public required long Chunks { get; init; }

    /// <summary>Rows of those chunks.</summary>
    public required long Points { get; init; }

    /// <summary>Encoded bytes, array headers included.</summary>
    public required long Bytes { get; init; }

    /// <summary><see cref="Bytes"/> / <see cref="Points"/>.</summary>
    public double BytesPerPoint => Points == 0 ? 0 : (double)Bytes / Points;
}
