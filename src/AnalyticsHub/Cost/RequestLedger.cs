namespace AnalyticsHub.Cost;

/// <summary>
/// Remembers, per billed call, which sources priced it, so budgets count each call once when both its
/// producer and the hub send a <c>token_cost</c> (<see cref="BudgetCostSource.PreferHub"/>).
/// </summary>
/// <remarks>
/// A call is keyed by request id and token counts, which the usage and both costs share. Retries that reuse
/// a request id with the same counts stay separate calls: the ledger counts how many each source priced.
/// Memory is bounded: entries expire once the event-time watermark is <c>window</c> past them, and the oldest
/// are evicted beyond <c>capacity</c> (counted in <see cref="Evicted"/>).
/// </remarks>
internal sealed class RequestLedger(int capacity, TimeSpan window)
{
    private readonly Dictionary<(string RequestId, uint Prompt, uint Completion), Entry> _entries = [];
    private readonly Queue<((string, uint, uint) Key, DateTimeOffset Seen)> _order = new();
    private DateTimeOffset _watermark = DateTimeOffset.MinValue;

    public int Count => _entries.Count;

    public long Evicted { get; private set; }

    /// <summary>The change of the counted spend caused by one cost of a call (may be negative or zero).</summary>
    public double Delta(string requestId, uint prompt, uint completion, bool fromHub, double amount, DateTimeOffset at)
    {
        var key = (requestId, prompt, completion);
        if (!_entries.TryGetValue(key, out var entry))
        {
            _entries[key] = entry = new Entry();
            _order.Enqueue((key, at));
        }

        double delta;
        if (fromHub)
        {
            // A hub price replaces a producer price already counted for the same call.
            delta = entry.Hub < entry.Producer ? amount - (entry.ProducerSum / entry.Producer) : amount;
            entry.Hub++;
        }
        else
        {
            delta = entry.Producer < entry.Hub ? 0 : amount;
            entry.Producer++;
            entry.ProducerSum += amount;
        }

        if (at > _watermark)
        {
            _watermark = at;
        }

        Evict();
        return delta;
    }

    private void Evict()
    {
        var horizon = _watermark.UtcTicks - DateTimeOffset.MinValue.UtcTicks <= window.Ticks ? DateTimeOffset.MinValue : _watermark - window;
        while (_order.Count > 0)
        {
            var (key, seen) = _order.Peek();
            var over = _entries.Count > capacity;
            if (!over && seen >= horizon)
            {
                break;
            }

            _order.Dequeue();
            _entries.Remove(key);
            Evicted += over && seen >= horizon ? 1 : 0;
        }
    }

    private sealed class Entry
    {
        public int Hub;
        public int Producer;
        public double ProducerSum;
    }
}
