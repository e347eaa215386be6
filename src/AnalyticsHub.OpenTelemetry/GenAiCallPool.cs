namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// A small lock-free pool of <see cref="GenAiCall"/> records (the shape of <c>DefaultObjectPool</c>): one fast slot and
/// a short slot array, taken and returned with compare-exchange, so renting and returning allocate nothing while calls
/// drain as fast as they come. Under a burst the pool runs dry and a new record is made; a full pool lets a returned
/// record go to the collector.
/// </summary>
internal sealed class GenAiCallPool
{
    /// <summary>The most records kept: enough for bursts between pump passes, short enough to scan cheaply.</summary>
    public const int MaxSlots = 128;

    private readonly GenAiCall?[] _slots;
    private GenAiCall? _fast;

    public GenAiCallPool(int capacity)
    {
        _slots = new GenAiCall?[Math.Clamp(capacity - 1, 1, MaxSlots - 1)];
    }

    public GenAiCall Rent()
    {
        var item = _fast;
        if (item is not null && Interlocked.CompareExchange(ref _fast, null, item) == item)
        {
            return item;
        }

        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            item = slots[i];
            if (item is not null && Interlocked.CompareExchange(ref slots[i], null, item) == item)
            {
                return item;
            }
        }

        return new GenAiCall();
    }

    public void Return(GenAiCall call)
    {
        call.Reset();
        if (_fast is null && Interlocked.CompareExchange(ref _fast, call, null) is null)
        {
            return;
        }

        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is null && Interlocked.CompareExchange(ref slots[i], call, null) is null)
            {
                return;
            }
        }
    }
}
