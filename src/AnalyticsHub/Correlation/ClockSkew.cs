using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// Estimates each producer module's clock skew from the stream: every sixteenth event of a module is compared with the
/// median of the other modules' latest event times; the module's offset is the median of its last
/// <see cref="Window"/> comparisons, less the median of all modules' offsets (the delivery delay every module shares).
/// </summary>
/// <remarks>
/// A module whose clock runs ahead stamps its events later than the others' newest events, one behind earlier; delivery
/// delays pull every module the same way and cancel in the difference. Derived events of the hub are left out (their
/// times come from the module they describe). Memory: one ring of <see cref="Window"/> longs per module. Single-threaded.
/// </remarks>
internal sealed class ClockSkew
{
    /// <summary>The comparisons kept per module.</summary>
    public const int Window = 64;

    /// <summary>Comparisons a module needs before its offset is estimated (0 until then).</summary>
    public const int MinimumSamples = 8;

    private const int SampleEvery = 16;
    private readonly Dictionary<SourceModule, ModuleClock> _clocks = [];

    /// <summary>Takes an event's module and time.</summary>
    public void Observe(SourceModule module, long ticks)
    {
        if (module == SourceModule.LlmAnalyticsHub)
        {
            return;
        }

        if (!_clocks.TryGetValue(module, out var clock))
        {
            clock = new ModuleClock();
            _clocks.Add(module, clock);
        }

        clock.Latest = Math.Max(clock.Latest, ticks);
        if (clock.Seen++ % SampleEvery != 0 || _clocks.Count < 3)
        {
            return;
        }

        Span<long> others = stackalloc long[_clocks.Count - 1];
        var n = 0;
        foreach (var (other, otherClock) in _clocks)
        {
            if (other != module)
            {
                others[n++] = otherClock.Latest;
            }
        }

        clock.Add(ticks - Median(others[..n]));
    }

    /// <summary>The module's estimated clock offset in ticks (positive: its clock runs ahead); 0 while it has too few comparisons.</summary>
    public long OffsetOf(SourceModule module)
    {
        if (!_clocks.TryGetValue(module, out var clock) || clock.Count < MinimumSamples)
        {
            return 0;
        }

        Span<long> medians = stackalloc long[_clocks.Count];
        var n = 0;
        foreach (var other in _clocks.Values)
        {
            if (other.Count >= MinimumSamples)
            {
                medians[n++] = other.Median();
            }
        }

        return clock.Median() - Median(medians[..n]);
    }

    private static long Median(Span<long> values)
    {
        values.Sort();
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] / 2) + (values[values.Length / 2] / 2);
    }

    private sealed class ModuleClock
    {
        private readonly long[] _ring = new long[Window];
        private int _head;

        public long Latest { get; set; } = long.MinValue;

        public long Seen { get; set; }

        public int Count { get; private set; }

        public void Add(long offset)
        {
            _ring[_head] = offset;
            _head = (_head + 1) % Window;
            Count = Math.Min(Count + 1, Window);
        }

        public long Median()
        {
            Span<long> copy = stackalloc long[Count];
            _ring.AsSpan(0, Count).CopyTo(copy);
            return ClockSkew.Median(copy);
        }
    }
}
