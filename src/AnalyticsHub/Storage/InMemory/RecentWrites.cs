namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The sequence ranges the last <see cref="Capacity"/> writes stored, by write id: how the in-memory store tells an
/// event a retried write stored itself (its answer lost) from a true duplicate. Used under the store's write lock.
/// </summary>
internal sealed class RecentWrites
{
    /// <summary>How many write ids are remembered (the <see cref="IEventStore"/> contract asks for at least 1,024).</summary>
    public const int Capacity = 1_024;

    private readonly Dictionary<Guid, List<(ulong First, ulong End)>> _ranges = [];
    private readonly Queue<Guid> _order = new();

    /// <summary>Remembers that <paramref name="writeId"/> stored the sequences [<paramref name="first"/>, <paramref name="end"/>).</summary>
    public void Record(Guid writeId, ulong first, ulong end)
    {
        if (end <= first)
        {
            return;
        }

        if (!_ranges.TryGetValue(writeId, out var ranges))
        {
            if (_order.Count == Capacity)
            {
                _ranges.Remove(_order.Dequeue());
            }

            ranges = [];
            _ranges.Add(writeId, ranges);
            _order.Enqueue(writeId);
        }

        ranges.Add((first, end));
    }

    /// <summary>Whether <paramref name="writeId"/> stored the event with <paramref name="sequence"/>.</summary>
    public bool Wrote(Guid writeId, ulong sequence)
    {
        if (!_ranges.TryGetValue(writeId, out var ranges))
        {
            return false;
        }

        foreach (var (first, end) in ranges)
        {
            if (sequence >= first && sequence < end)
            {
                return true;
            }
        }

        return false;
    }
}
