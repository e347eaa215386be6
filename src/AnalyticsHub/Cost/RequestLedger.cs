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

    /// <summary>
    /// Notes that the hub is pricing a call (its <c>token_cost</c> will follow), so a producer cost for it that
    /// arrives first is not counted. Ignored when a producer cost for the call is already counted (the hub's replaces it on arrival).
    /// </summary>
    public void ExpectHub(string requestId, uint prompt, uint completion, DateTimeOffset at)
    {
        var entry = Get(requestId, prompt, completion, at);
        if (entry.Producer <= entry.Hub + entry.Expected)
        {
            entry.Expected++;
        }

        Evict();
    }

    /// <summary>The change of the counted spend caused by one cost of a call (may be negative or zero).</summary>
    /// <remarks>
    /// Per call key the counted spend is every hub price plus the producer prices of the calls the hub has not
    /// priced (or announced): <c>HubSum + max(0, Producer - Hub - Expected) x average producer price</c>.
    /// The delta is that sum after the event minus before.
    /// </remarks>
    public double Delta(string requestId, uint prompt, uint completion, bool fromHub, double amount, DateTimeOffset at)
    {
        var entry = Get(requestId, prompt, completion, at);
        var before = entry.Counted;
        if (fromHub)
        {
            entry.Hub++;
            entry.HubSum += amount;
            entry.Expected = Math.Max(0, entry.Expected - 1);
        }
        else
        {
            entry.Producer++;
            entry.ProducerSum += amount;
        }

        Evict();
        return entry.Counted - before;
    }

    private Entry Get(string requestId, uint prompt, uint completion, DateTimeOffset at)
    {
        var key = (requestId, prompt, completion);
        if (!_entries.TryGetValue(key, out var entry))
        {
            _entries[key] = entry = new Entry();
            _order.Enqueue((key, at));
        }

        if (at > _watermark)
        {
            _watermark = at;
        }

        return entry;
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
        public int Expected;
        public int Producer;
        public double HubSum;
        public double ProducerSum;

        public double Counted => HubSum + (Math.Max(0, Producer - Hub - Expected) * (Producer == 0 ? 0 : ProducerSum / Producer));
    }
}
