namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// An append-only list of ascending series ids shared by every snapshot: the writer appends (ids only grow, so the
/// list stays sorted), a snapshot remembers how many ids it sees, and a reader copies that prefix into an exact-length
/// array once (cached until the list grows). Publishing a batch that adds series to a posting therefore costs nothing
/// per id already in it.
/// </summary>
/// <remarks>
/// Lock-free reads: ids below a published count never change; growing copies into a new array, written with
/// <see cref="Volatile"/> after the copy, so a reader sees either array with the whole published prefix.
/// </remarks>
internal sealed class PostingList
{
    private int[] _ids = new int[4];
    private int[]? _exact;

    /// <summary>Writer-side count.</summary>
    public int Count { get; private set; }

    /// <summary>Writer: appends an id larger than every id in the list.</summary>
    public void Add(int id)
    {
        var ids = _ids;
        if (Count == ids.Length)
        {
            var grown = new int[ids.Length * 2];
            Array.Copy(ids, grown, Count);
            Volatile.Write(ref _ids, grown);
            ids = grown;
        }

        ids[Count] = id;
        Count++;
    }

    /// <summary>Reader: the first <paramref name="count"/> ids (a published count) as an array that must not be changed.</summary>
    public int[] ToArray(int count)
    {
        if (count == 0)
        {
            return [];
        }

        var exact = Volatile.Read(ref _exact);
        if (exact is not null && exact.Length == count)
        {
            return exact;
        }

        exact = Volatile.Read(ref _ids).AsSpan(0, count).ToArray();
        Volatile.Write(ref _exact, exact);
        return exact;
    }

    /// <summary>Bytes held (for the memory report).</summary>
    public long Bytes => 48 + 24 + (4L * _ids.Length);
}
