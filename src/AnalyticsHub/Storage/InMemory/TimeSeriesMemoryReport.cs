namespace AnalyticsHub.Storage.InMemory;

/// <summary>What the points of an <see cref="InMemoryTimeSeriesStore"/> take in memory, from <see cref="InMemoryTimeSeriesStore.DescribeMemory"/>.</summary>
/// <remarks>
/// Byte counts are the store's own arrays and objects, estimated with 64-bit object and array headers; tag strings
/// are counted once per distinct value in the index. Shared strings and the runtime's own overheads are not.
/// </remarks>
public sealed record TimeSeriesMemoryReport
{
    /// <summary>Every stored point.</summary>
    public required long PointCount { get; init; }

    /// <summary>Points in sealed (encoded) chunks.</summary>
    public required long SealedPointCount { get; init; }

    /// <summary>Sealed chunks.</summary>
    public required long SealedChunkCount { get; init; }

    /// <summary>Bytes of the sealed chunks: encoded columns, headers and chunk objects.</summary>
    public required long SealedBytes { get; init; }

    /// <summary>Bytes of the open (raw) chunks, at their allocated capacity.</summary>
    public required long OpenBytes { get; init; }

    /// <summary>Bytes of the series keys and states, shard and chunk views and the inverted index.</summary>
    public required long IndexBytes { get; init; }

    /// <summary>All of the above.</summary>
    public long TotalBytes => SealedBytes + OpenBytes + IndexBytes;

    /// <summary><see cref="TotalBytes"/> per stored point.</summary>
    public double BytesPerPoint => PointCount == 0 ? 0 : (double)TotalBytes / PointCount;

    /// <summary>Sealed bytes per sealed point, with the series keys and index amortised over them.</summary>
    public double SealedBytesPerPoint => SealedPointCount == 0 ? 0 : (double)(SealedBytes + IndexBytes) / SealedPointCount;

    /// <summary>The sealed bytes per column and codec, by column then codec.</summary>
    public required IReadOnlyList<TimeSeriesColumnMemory> Columns { get; init; }

    internal static TimeSeriesMemoryReport Build(StoreSnapshot snapshot)
    {
        long points = 0, sealedPoints = 0, sealedChunks = 0, sealedBytes = 0, openBytes = 0, indexBytes = 0;
        var columns = new Dictionary<(string Column, string Codec), (long Chunks, long Points, long Bytes)>();
        for (var id = 0; id < snapshot.SeriesCount; id++)
        {
            var series = snapshot.Get(id);
            points += series.PointCount;
            indexBytes += 64 + 24 + (8L * series.FieldNames.Length) + 24 + (8L * series.Shards.Length);
            foreach (var shard in series.Shards)
            {
                indexBytes += 56 + 24 + (48L * shard.Chunks.Length);
                foreach (var view in shard.Chunks)
                {
                    if (view.Sealed is { } chunk)
                    {
                        sealedPoints += chunk.Count;
                        sealedChunks++;
                        sealedBytes += chunk.OverheadBytes + chunk.Timestamps.Length;
                        Add(columns, "timestamp", Codecs.Int64Codec.Name(chunk.Timestamps), chunk.Count, 24 + chunk.Timestamps.Length);
                        for (var f = 0; f < chunk.Columns.Length; f++)
                        {
                            if (chunk.Columns[f] is { } column)
                            {
                                var name = f < series.FieldNames.Length ? series.FieldNames[f] : f.ToString(System.Globalization.CultureInfo.InvariantCulture);
                                sealedBytes += column.ByteCount;
                                Add(columns, name, column.CodecName, chunk.Count, column.ByteCount);
                            }
                        }
                    }
                    else if (view.Chunk is { } open)
                    {
                        openBytes += open.AllocatedBytes;
                    }
                }
            }
        }

        foreach (var measurement in snapshot.Measurements.Values)
        {
            indexBytes += measurement.Bytes();
        }

        var list = new List<TimeSeriesColumnMemory>(columns.Count);
        foreach (var ((column, codec), (chunks, rows, bytes)) in columns)
        {
            list.Add(new TimeSeriesColumnMemory { Column = column, Codec = codec, Chunks = chunks, Points = rows, Bytes = bytes });
        }

        list.Sort(static (a, b) => a.Column != b.Column ? string.CompareOrdinal(a.Column, b.Column) : string.CompareOrdinal(a.Codec, b.Codec));
        return new TimeSeriesMemoryReport
        {
            PointCount = points,
            SealedPointCount = sealedPoints,
            SealedChunkCount = sealedChunks,
            SealedBytes = sealedBytes,
            OpenBytes = openBytes,
            IndexBytes = indexBytes,
            Columns = list,
        };
    }

    private static void Add(Dictionary<(string, string), (long Chunks, long Points, long Bytes)> columns, string column, string codec, long rows, long bytes)
    {
        columns.TryGetValue((column, codec), out var current);
        columns[(column, codec)] = (current.Chunks + 1, current.Points + rows, current.Bytes + bytes);
    }
}
