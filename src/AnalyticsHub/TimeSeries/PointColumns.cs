namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The time-series points of one ingestion batch in columns: a row per point (its timestamp, field names and field
/// values) and the rows grouped by series (measurement and tag set, each held once per batch). The hand-off the
/// <c>time_series</c>, <c>metrics</c> and <c>anomalies</c> stages read (<see cref="TimeSeriesHandOffs.Points"/>), and
/// what the in-memory store writes a series' run from in one call.
/// </summary>
/// <remarks>
/// Rows keep the order the points were added in (for the hub: the batch's events, index for index, then the points of
/// ingested metrics); <see cref="Rows"/> lists a series' rows in that order. The field values of all rows live in a
/// few shared arrays (segments smaller than the large-object heap's threshold), not in an array per point. Readers must
/// not change what they read; an instance is built once (<see cref="From"/>, or the extractor) and then only read.
/// The hub's instance (<see cref="TimeSeriesHandOffs.Points"/>) is valid only while its batch goes through the stages:
/// the pipeline then hands it back to be reused for a later batch, so a consumer must not keep it, or a span read from
/// it, past its own call.
/// </remarks>
public sealed class PointColumns
{
    // 4,096 values of 16 bytes: 64 KiB, below the 85,000 bytes from which an array goes to the large-object heap.
    private const int SegmentBits = 12;
    private const int SegmentValues = 1 << SegmentBits;

    // The series-by-key table a build borrows (one per thread, kept from batch to batch: the hub's batches bring hundreds
    // of series each, and a table grown from empty every batch cost more than the point objects the columns replace).
    [ThreadStatic]
    private static Dictionary<SeriesKey, int>? t_spareSeriesByKey;
    private const int MaxSpareSeries = 8_192;

    // The values per row of the last build on any thread, rounded up: the guess a build sizes its first segment by.
    private static int s_valuesPerRow = 8;

    private readonly List<string> _measurements = [];
    private readonly List<TagSet> _tags = [];
    private Dictionary<SeriesKey, int>? _seriesByKey;

    // The value segments: the first _segmentCount hold this build's values; the rest are a reused instance's spares,
    // emptied when it was handed back (PointColumnsPool) and taken again as this build needs room.
    private readonly List<FieldValue[]> _segments = [];
    private readonly PointColumnsPool? _pool;
    private int _segmentCount;
    private int[] _seriesOfRow;
    private long[] _ticks;
    private string[][] _names;
    private int[] _valueAt; // a row's segment << SegmentBits | its offset in the segment
    private int[] _order = [];
    private int[] _seriesStart = [0];
    private int[] _next = []; // Complete's scratch: each series' next slot in _order
    private int _segmentUsed;
    private long _valueCount;
    private int _lastSeries = -1;

    /// <summary>Creates empty columns with room for <paramref name="capacity"/> rows (more are added by growing).</summary>
    internal PointColumns(int capacity)
        : this(capacity, null)
    {
    }

    /// <summary>Creates empty columns that <paramref name="pool"/> lends (<see cref="Release"/> hands them back to it).</summary>
    internal PointColumns(int capacity, PointColumnsPool? pool)
    {
        capacity = Math.Max(capacity, 1);
        _seriesOfRow = new int[capacity];
        _ticks = new long[capacity];
        _names = new string[capacity][];
        _valueAt = new int[capacity];
        _pool = pool;
    }

    /// <summary>The rows the columns hold without growing.</summary>
    internal int Capacity => _ticks.Length;

    /// <summary>The field values the columns' segments hold, used or spare.</summary>
    internal long SegmentValueCapacity
    {
        get
        {
            long values = 0;
            foreach (var segment in _segments)
            {
                values += segment.Length;
            }

            return values;
        }
    }

    /// <summary>Columns without rows.</summary>
    public static PointColumns Empty { get; } = new PointColumns(0).Complete();

    /// <summary>The number of rows (points).</summary>
    public int Count { get; private set; }

    /// <summary>The number of distinct series (measurement and tag set) among the rows.</summary>
    public int SeriesCount => _measurements.Count;

    /// <summary>The measurement of series <paramref name="series"/> (0 to <see cref="SeriesCount"/> - 1).</summary>
    /// <param name="series">The series' number.</param>
    /// <returns>The measurement.</returns>
    public string Measurement(int series) => _measurements[series];

    /// <summary>The tag set of series <paramref name="series"/>.</summary>
    /// <param name="series">The series' number.</param>
    /// <returns>The tags.</returns>
    public TagSet Tags(int series) => _tags[series];

    /// <summary>The rows of series <paramref name="series"/>, in the order they were added.</summary>
    /// <param name="series">The series' number.</param>
    /// <returns>The row numbers.</returns>
    public ReadOnlySpan<int> Rows(int series)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(series);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(series, SeriesCount);
        return _order.AsSpan(_seriesStart[series], _seriesStart[series + 1] - _seriesStart[series]);
    }

    /// <summary>The series of row <paramref name="row"/>.</summary>
    /// <param name="row">The row (0 to <see cref="Count"/> - 1).</param>
    /// <returns>The series' number.</returns>
    public int SeriesOf(int row) => _seriesOfRow[CheckRow(row)];

    /// <summary>The timestamp of row <paramref name="row"/> (UTC).</summary>
    /// <param name="row">The row.</param>
    /// <returns>The timestamp.</returns>
    public DateTimeOffset Timestamp(int row) => new(_ticks[CheckRow(row)], TimeSpan.Zero);

    /// <summary>The UTC ticks of row <paramref name="row"/>'s timestamp.</summary>
    internal long Ticks(int row) => _ticks[row];

    /// <summary>The field names of row <paramref name="row"/>, in order.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The names.</returns>
    public ReadOnlySpan<string> FieldNames(int row) => _names[CheckRow(row)];

    /// <summary>The names array of a row (shared by the rows of one payload kind; must not be changed): an identity to cache field numbers by.</summary>
    internal string[] NameArray(int row) => _names[row];

    /// <summary>The field values of row <paramref name="row"/>, position for position with <see cref="FieldNames"/>.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The values.</returns>
    public ReadOnlySpan<FieldValue> FieldValues(int row)
    {
        var at = _valueAt[CheckRow(row)];
        var length = _names[row].Length;
        return length == 0 ? default : _segments[at >> SegmentBits].AsSpan(at & (SegmentValues - 1), length);
    }

    /// <summary>Row <paramref name="row"/> as a point (allocates; for callers that need the object, e.g. to write it alone).</summary>
    /// <param name="row">The row.</param>
    /// <returns>The point.</returns>
    public TimeSeriesPoint ToPoint(int row)
    {
        var series = SeriesOf(row);
        return new TimeSeriesPoint
        {
            Measurement = _measurements[series],
            Timestamp = Timestamp(row),
            Tags = _tags[series],
            Fields = FieldSet.FromArrays(_names[row], FieldValues(row).ToArray()),
        };
    }

    /// <summary>The columns of <paramref name="points"/>, row for point.</summary>
    /// <param name="points">The points; each must have a measurement, tags and fields.</param>
    /// <returns>The columns.</returns>
    /// <exception cref="ArgumentException">A point is null or lacks its measurement, tags or fields.</exception>
    public static PointColumns From(IReadOnlyList<TimeSeriesPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var columns = new PointColumns(points.Count);
        foreach (var point in points)
        {
            if (point is null || string.IsNullOrEmpty(point.Measurement) || point.Tags is null || point.Fields is null)
            {
                throw new ArgumentException("Every point needs a measurement, tags and fields.", nameof(points));
            }

            columns.Add(point);
        }

        return columns.Complete();
    }

    /// <summary>Adds a point as the next row.</summary>
    internal void Add(TimeSeriesPoint point) =>
        Add(point.Measurement, point.Tags, point.Timestamp.UtcTicks, point.Fields.NameArray, point.Fields.ValueSpan);

    /// <summary>Adds the next row; the series is found by the measurement and tags (the same instances as the last row's: no lookup).</summary>
    internal void Add(string measurement, TagSet tags, long utcTicks, string[] names, ReadOnlySpan<FieldValue> values)
    {
        var row = Count;
        if (row == _ticks.Length)
        {
            Grow();
        }

        _seriesOfRow[row] = SeriesFor(measurement, tags);
        _ticks[row] = utcTicks;
        _names[row] = names;
        if (values.IsEmpty)
        {
            // No values (a point the store will refuse): nothing to place.
            _valueAt[row] = 0;
            Count = row + 1;
            return;
        }

        if (_segmentCount == 0 || _segmentUsed + values.Length > _segments[_segmentCount - 1].Length)
        {
            NextSegment(row, values.Length);
        }

        _valueAt[row] = ((_segmentCount - 1) << SegmentBits) | _segmentUsed;
        values.CopyTo(_segments[_segmentCount - 1].AsSpan(_segmentUsed));
        _segmentUsed += values.Length;
        _valueCount += values.Length;
        Count = row + 1;
    }

    /// <summary>Groups the rows by series (a stable counting sort) once every row is added; returns this instance.</summary>
    internal PointColumns Complete()
    {
        // The arrays are a reused instance's when they are large enough; only their first SeriesCount + 1 and Count entries are read.
        if (_seriesStart.Length < SeriesCount + 1)
        {
            _seriesStart = new int[Math.Max(SeriesCount + 1, _seriesStart.Length * 2)];
            _next = new int[_seriesStart.Length];
        }

        if (_order.Length < Count)
        {
            _order = new int[Math.Max(Count, _ticks.Length)];
        }

        var starts = _seriesStart.AsSpan(0, SeriesCount + 1);
        starts.Clear();
        for (var row = 0; row < Count; row++)
        {
            starts[_seriesOfRow[row] + 1]++;
        }

        for (var s = 0; s < SeriesCount; s++)
        {
            starts[s + 1] += starts[s];
        }

        var next = _next.AsSpan(0, SeriesCount);
        starts[..^1].CopyTo(next);
        for (var row = 0; row < Count; row++)
        {
            _order[next[_seriesOfRow[row]]++] = row;
        }

        if (Count > 0)
        {
            s_valuesPerRow = (int)Math.Clamp((_valueCount + Count - 1) / Count, 1, 64);
        }

        if (_seriesByKey is not null)
        {
            // Kept for the thread's next build unless it grew past what a hub batch brings (emptying it costs its size).
            if (_seriesByKey.Count <= MaxSpareSeries)
            {
                _seriesByKey.Clear();
                t_spareSeriesByKey = _seriesByKey;
            }

            _seriesByKey = null;
        }

        return this;
    }

    private int SeriesFor(string measurement, TagSet tags)
    {
        var last = _lastSeries;
        if (last >= 0 && ReferenceEquals(_tags[last], tags) && ReferenceEquals(_measurements[last], measurement))
        {
            return last;
        }

        if (_seriesByKey is null)
        {
            _seriesByKey = t_spareSeriesByKey ?? [];
            t_spareSeriesByKey = null;
        }

        var key = new SeriesKey(measurement, tags);
        if (!_seriesByKey.TryGetValue(key, out var series))
        {
            series = _measurements.Count;
            _measurements.Add(measurement);
            _tags.Add(tags);
            _seriesByKey.Add(key, series);
        }

        _lastSeries = series;
        return series;
    }

    /// <summary>
    /// Hands the columns back to the pool they came from, to be reused by a later build (nothing for columns built
    /// without one). The caller must be the last reader: every row, series and span read from them is then invalid.
    /// </summary>
    internal void Release() => _pool?.Return(this);

    /// <summary>
    /// Empties the columns for reuse, keeping their arrays: the references they hold (measurements, tag sets, names
    /// arrays, string values) are cleared, so a spare instance keeps no batch's data alive and no later build can read it.
    /// </summary>
    internal void Reset()
    {
        _names.AsSpan(0, Count).Clear();
        for (var i = 0; i < _segmentCount; i++)
        {
            Array.Clear(_segments[i]);
        }

        _measurements.Clear();
        _tags.Clear();
        _segmentCount = 0;
        _segmentUsed = 0;
        _valueCount = 0;
        _lastSeries = -1;
        Count = 0;
    }

    /// <summary>
    /// Moves on to the next segment for a row of <paramref name="length"/> values: a spare one that holds it, else a new
    /// one, sized for the rows still expected at the values per row seen so far (a batch's values fill its segments
    /// instead of leaving most of a last 64 KiB one empty); a row with more values than a segment holds gets one of its
    /// own (at offset 0).
    /// </summary>
    private void NextSegment(int row, int length)
    {
        if (_segmentCount < _segments.Count && _segments[_segmentCount].Length >= length)
        {
            _segmentCount++;
            _segmentUsed = 0;
            return;
        }

        var perRow = row > 0 ? (int)((_valueCount + row - 1) / row) : s_valuesPerRow;
        var expected = (long)Math.Max(_ticks.Length - row, 1) * perRow;
        var segment = new FieldValue[Math.Max(length, (int)Math.Min(expected, SegmentValues))];
        if (_segmentCount < _segments.Count)
        {
            // A spare too small for this row is replaced: a reused instance's segments only grow.
            _segments[_segmentCount] = segment;
        }
        else
        {
            _segments.Add(segment);
        }

        _segmentCount++;
        _segmentUsed = 0;
    }

    private void Grow()
    {
        var size = _ticks.Length * 2;
        Array.Resize(ref _seriesOfRow, size);
        Array.Resize(ref _ticks, size);
        Array.Resize(ref _names, size);
        Array.Resize(ref _valueAt, size);
    }

    private int CheckRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        return row;
    }

    /// <summary>A series identity: a measurement and a tag set (compared by value; the tag set caches its hash).</summary>
    private readonly record struct SeriesKey(string Measurement, TagSet Tags)
    {
        public bool Equals(SeriesKey other) =>
            string.Equals(Measurement, other.Measurement, StringComparison.Ordinal) && Tags.Equals(other.Tags);

        public override int GetHashCode() => HashCode.Combine(Measurement.GetHashCode(StringComparison.Ordinal), Tags.GetHashCode());
    }
}
