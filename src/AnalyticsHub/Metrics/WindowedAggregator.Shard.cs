using System.Runtime.CompilerServices;

namespace AnalyticsHub.Metrics;

public sealed partial class WindowedAggregator
{
    /// <summary>
    /// One writer thread's open finest windows, by series id. Its owner takes <see cref="Gate"/> for
    /// every point (uncontended but for the rare close pass, which takes it to harvest).
    /// </summary>
    internal sealed class Shard
    {
        private readonly TimeWindow _window;
        private readonly int _maxBucketsPerSign;
        private readonly Stack<WindowState> _free = new();
        private KeySlot?[] _slots = new KeySlot?[64];

        public Shard(TimeWindow window, int maxBucketsPerSign)
        {
            _window = window;
            _maxBucketsPerSign = maxBucketsPerSign;
        }

        public Lock Gate { get; } = new();

        /// <summary>States harvested from this shard waiting to go back to its pool (touched by the closer only).</summary>
        public List<WindowState> PendingReturns { get; } = [];

        public long Recorded { get; private set; }

        public long Late { get; private set; }

        public long MaxTicks { get; private set; } = long.MinValue;

        public int OpenWindows { get; private set; }

        /// <summary>
        /// Adds a series' finite values, in arrival order, to their windows (called under <see cref="Gate"/>): each stretch
        /// of values that share a window is one window lookup, one statistics update and one sketch insert; a value whose
        /// window has closed (before <paramref name="closedUpTo"/>) is counted late. A single value is a run of one.
        /// </summary>
        /// <returns>How many values were late.</returns>
        public int AddRun(int keyId, ReadOnlySpan<long> ticks, ReadOnlySpan<double> values, long closedUpTo)
        {
            var slots = _slots;
            var slot = (uint)keyId < (uint)slots.Length ? slots[keyId] : null;
            slot ??= CreateSlot(keyId);

            var late = 0;
            for (var i = 0; i < ticks.Length;)
            {
                if (ticks[i] < closedUpTo)
                {
                    late++;
                    i++;
                    continue;
                }

                var window = slot.Current;
                if (window is null || ticks[i] < window.Start || ticks[i] >= window.End)
                {
                    window = Select(slot, keyId, ticks[i]);
                }

                // An open window starts at or after closedUpTo, so the values it holds are not late.
                var end = i + 1;
                var maxTicks = ticks[i];
                while (end < ticks.Length && ticks[end] >= window.Start && ticks[end] < window.End)
                {
                    maxTicks = Math.Max(maxTicks, ticks[end]);
                    end++;
                }

                if (end - i == 1)
                {
                    // A run of one (every value of the per-value Record): the per-value inserts, without a run's loop
                    // and the statistics' copy in and out.
                    window.Stats.TryAdd(values[i]);
                    window.Sketch.TryAdd(values[i]);
                }
                else
                {
                    window.Stats.TryAdd(values[i..end]);
                    window.Sketch.TryAdd(values[i..end]);
                }
                Recorded += end - i;
                if (maxTicks > MaxTicks)
                {
                    MaxTicks = maxTicks;
                }

                i = end;
            }

            slot.Late += late;
            Late += late;
            return late;
        }

        /// <summary>Moves every window ending at or before <paramref name="closedUpTo"/> to <paramref name="into"/> (called under <see cref="Gate"/>).</summary>
        public void Harvest(long closedUpTo, List<WindowState> into)
        {
            foreach (var slot in _slots)
            {
                if (slot is null || slot.OpenCount == 0)
                {
                    continue;
                }

                var kept = 0;
                for (var i = 0; i < slot.OpenCount; i++)
                {
                    var state = slot.Open[i];
                    if (state.End <= closedUpTo)
                    {
                        into.Add(state);
                        OpenWindows--;
                    }
                    else
                    {
                        slot.Open[kept++] = state;
                    }
                }

                Array.Clear(slot.Open, kept, slot.OpenCount - kept);
                slot.OpenCount = kept;
                if (slot.Current is { } current && current.End <= closedUpTo)
                {
                    slot.Current = null;
                }
            }
        }

        /// <summary>Puts reset states back into the pool (called under <see cref="Gate"/>).</summary>
        public void ReturnPending()
        {
            foreach (var state in PendingReturns)
            {
                _free.Push(state);
            }

            PendingReturns.Clear();
        }

        public long LateFor(int keyId) => (uint)keyId < (uint)_slots.Length && _slots[keyId] is { } slot ? slot.Late : 0;

        private WindowState Select(KeySlot slot, int keyId, long ticks)
        {
            for (var i = 0; i < slot.OpenCount; i++)
            {
                var open = slot.Open[i];
                if (ticks >= open.Start && ticks < open.End)
                {
                    slot.Current = open;
                    return open;
                }
            }

            var start = TimeWindowExtensions.AlignStartTicks(_window, ticks);
            var state = _free.Count > 0 ? _free.Pop() : new WindowState(_maxBucketsPerSign, this);
            state.Open(keyId, start, TimeWindowExtensions.NextStartTicks(_window, start));
            if (slot.OpenCount == slot.Open.Length)
            {
                Array.Resize(ref slot.Open, slot.Open.Length * 2);
            }

            slot.Open[slot.OpenCount++] = state;
            slot.Current = state;
            OpenWindows++;
            return state;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private KeySlot CreateSlot(int keyId)
        {
            if (keyId >= _slots.Length)
            {
                Array.Resize(ref _slots, Math.Max(keyId + 1, _slots.Length * 2));
            }

            return _slots[keyId] = new KeySlot();
        }

        private sealed class KeySlot
        {
            public WindowState[] Open = new WindowState[2];
            public int OpenCount;
            public WindowState? Current;
            public long Late;
        }
    }
}
