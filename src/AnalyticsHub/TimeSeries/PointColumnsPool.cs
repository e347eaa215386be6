namespace AnalyticsHub.TimeSeries;

/// <summary>
/// Lends <see cref="PointColumns"/> for one batch and takes them back when the batch has gone through every stage, so the
/// hub's points hand-off (<see cref="TimeSeriesHandOffs.Points"/>) reuses one instance's row arrays and value segments
/// from batch to batch instead of allocating them per batch.
/// </summary>
/// <remarks>
/// It keeps one spare: the pipeline computes a batch's columns only once the batch before has passed every stage and
/// handed its columns back, so one is all a hub needs (several hubs in one process share it, and the others allocate).
/// A returned instance is emptied first (<see cref="PointColumns.Reset"/>: no row, series or value of its batch stays
/// readable or alive); one grown past a large batch's size is dropped rather than kept.
/// </remarks>
internal sealed class PointColumnsPool
{
    // The most rows and field values a spare keeps room for (a hub batch is 1,000 events by default; a larger one is
    // rare and its arrays are not worth keeping).
    private const int MaxSpareRows = 16_384;
    private const long MaxSpareValues = 16L * 16_384;

    private PointColumns? _spare;

    /// <summary>The pool of the hub's points hand-off.</summary>
    public static PointColumnsPool Shared { get; } = new();

    /// <summary>Empty columns with room for <paramref name="capacity"/> rows: the spare when there is one, else new ones.</summary>
    public PointColumns Rent(int capacity) => Interlocked.Exchange(ref _spare, null) ?? new PointColumns(capacity, this);

    /// <summary>Takes back columns this pool lent, emptied; the caller must not read them again.</summary>
    public void Return(PointColumns columns)
    {
        if (columns.Capacity > MaxSpareRows || columns.SegmentValueCapacity > MaxSpareValues)
        {
            return;
        }

        columns.Reset();
        Volatile.Write(ref _spare, columns);
    }
}
