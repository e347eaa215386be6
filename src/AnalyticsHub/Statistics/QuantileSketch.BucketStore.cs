using System.Numerics;
using System.Runtime.CompilerServices;

namespace AnalyticsHub.Statistics;

public sealed partial class QuantileSketch
{
    /// <summary>
    /// Dense counts for one sign: element p counts bucket <c>offset + p</c>. The array never spans
    /// more than the bucket limit, so any index that fits in it needs no collapse check.
    /// </summary>
    private struct BucketStore
    {
        private uint[]? _narrow;
        private ulong[]? _wide;
        private int _offset;
        private bool _collapsed;
        private ulong _total;

        public readonly ulong Total => _total;

        public readonly bool Collapsed => _collapsed;

        public readonly int Offset => _offset;

        public readonly int Length => _wide?.Length ?? _narrow?.Length ?? 0;

        public readonly long ArrayBytes =>
            _wide is not null ? 24 + (8L * _wide.Length) : _narrow is not null ? 24 + (4L * _narrow.Length) : 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Increment(int index, int maxBuckets)
        {
            var narrow = _narrow;
            var position = index - _offset;
            if (narrow is not null && (uint)position < (uint)narrow.Length && _total < uint.MaxValue)
            {
                // While the store holds fewer than 2^32 - 1 values no 32-bit bucket can overflow.
                narrow[position]++;
                _total++;
                return;
            }

            Add(index, 1, maxBuckets);
        }

        /// <summary>The positions of the first and last non-empty bucket ((0, -1) when empty) and how many buckets in between are non-empty.</summary>
        public readonly (int First, int Last) Occupied(out int nonZero)
        {
            nonZero = 0;
            if (_total == 0)
            {
                return (0, -1);
            }

            int first, last;
            if (_wide is not null)
            {
                var counts = _wide.AsSpan();
                first = counts.IndexOfAnyExcept(0UL);
                last = counts.LastIndexOfAnyExcept(0UL);
                nonZero = first < 0 ? 0 : last - first + 1 - counts[first..(last + 1)].Count(0UL);
            }
            else
            {
                var counts = _narrow.AsSpan();
                first = counts.IndexOfAnyExcept(0U);
                last = counts.LastIndexOfAnyExcept(0U);
                nonZero = first < 0 ? 0 : last - first + 1 - counts[first..(last + 1)].Count(0U);
            }

            return first < 0 ? (0, -1) : (first, last);
        }

        /// <summary>
        /// Whether the array already holds buckets <paramref name="low"/> to <paramref name="high"/> within the limit: then
        /// this store's own extremes lie in it too, so adding there needs no reshape and no collapse whatever they are, and
        /// a merge need not scan the array for them (a window's counts merged into its hour's, whose array is wider).
        /// </summary>
        private readonly bool Covers(int low, int high, int maxBuckets)
        {
            var length = Length;
            return length <= maxBuckets && low >= _offset && high < _offset + length;
        }

        public readonly ulong CountAt(int position) => _wide is not null ? _wide[position] : _narrow![position];

        public readonly int LowestIndex() => _offset + FirstNonZero();

        public readonly int HighestIndex() => _offset + LastNonZero();

        public readonly int IndexAtRankAscending(ulong rank)
        {
            var length = Length;
            var seen = 0UL;
            for (var p = 0; p < length; p++)
            {
                seen += CountAt(p);
                if (seen > rank)
                {
                    return _offset + p;
                }
            }

            return _offset + LastNonZero();
        }

        public readonly int IndexAtRankDescending(ulong rank)
        {
            var seen = 0UL;
            for (var p = Length - 1; p >= 0; p--)
            {
                seen += CountAt(p);
                if (seen > rank)
                {
                    return _offset + p;
                }
            }

            return _offset + FirstNonZero();
        }

        public void Add(int index, ulong count, int maxBuckets)
        {
            if (_total + count > uint.MaxValue || _total + count < _total)
            {
                Widen();
            }

            var position = index - _offset;
            if (_total != 0 && (uint)position < (uint)Length)
            {
                AddAt(position, count);
                return;
            }

            int low;
            int high;
            if (_total == 0)
            {
                low = index;
                high = index;
            }
            else
            {
                low = Math.Min(LowestIndex(), index);
                high = Math.Max(HighestIndex(), index);
            }

            var floor = Reshape(low, high, maxBuckets);
            AddAt(Math.Max(index, floor) - _offset, count);
        }

        public void Merge(in BucketStore other, int maxBuckets)
        {
            if (other._total == 0)
            {
                return;
            }

            var otherLow = other.LowestIndex();
            var otherHigh = other.HighestIndex();
            if (_total + other._total > uint.MaxValue || _total + other._total < _total)
            {
                Widen();
            }

            var low = otherLow;
            var high = otherHigh;
            if (_total != 0 && !Covers(otherLow, otherHigh, maxBuckets))
            {
                low = Math.Min(low, LowestIndex());
                high = Math.Max(high, HighestIndex());
            }

            var floor = Reshape(low, high, maxBuckets);
            _collapsed |= other._collapsed;

            // Buckets below the floor fold into it; the rest add element-wise.
            var start = otherLow;
            if (otherLow < floor)
            {
                var folded = 0UL;
                for (var index = otherLow; index < floor && index <= otherHigh; index++)
                {
                    folded += other.CountAt(index - other._offset);
                }

                AddAt(floor - _offset, folded);
                _total -= folded;
                start = floor;
            }

            _total += other._total;
            if (start > otherHigh)
            {
                return;
            }

            var length = otherHigh - start + 1;
            var source = start - other._offset;
            var destination = start - _offset;
            if (_narrow is not null)
            {
                AddVectorized(_narrow.AsSpan(destination, length), other._narrow.AsSpan(source, length));
            }
            else if (other._wide is not null)
            {
                AddVectorized(_wide.AsSpan(destination, length), other._wide.AsSpan(source, length));
            }
            else
            {
                var to = _wide.AsSpan(destination, length);
                var from = other._narrow.AsSpan(source, length);
                for (var i = 0; i < to.Length && i < from.Length; i++)
                {
                    to[i] += from[i];
                }
            }
        }

        private static void AddVectorized<T>(Span<T> to, ReadOnlySpan<T> from)
            where T : unmanaged, INumber<T>
        {
            var i = 0;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            {
                for (; i <= to.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    (new Vector<T>(to[i..]) + new Vector<T>(from[i..])).CopyTo(to[i..]);
                }
            }

            for (; i < to.Length; i++)
            {
                to[i] += from[i];
            }
        }

        public void Reset()
        {
            if (_narrow is not null)
            {
                Array.Clear(_narrow);
            }

            if (_wide is not null)
            {
                Array.Clear(_wide);
            }

            _total = 0;
            _collapsed = false;
        }

        public readonly BucketStore Clone() => new()
        {
            _narrow = (uint[]?)_narrow?.Clone(),
            _wide = (ulong[]?)_wide?.Clone(),
            _offset = _offset,
            _collapsed = _collapsed,
            _total = _total,
        };

        /// <summary>Replaces the content with dense counts starting at <paramref name="offset"/> (used by the readers).</summary>
        public void Load(int offset, ReadOnlySpan<ulong> counts, ulong total, bool collapsed)
        {
            _offset = offset;
            _total = total;
            _collapsed = collapsed;
            if (total > uint.MaxValue)
            {
                _narrow = null;
                _wide = counts.ToArray();
                return;
            }

            _wide = null;
            _narrow = new uint[counts.Length];
            for (var i = 0; i < counts.Length; i++)
            {
                _narrow[i] = (uint)counts[i];
            }
        }

        public readonly bool ContentEquals(in BucketStore other)
        {
            if (_total != other._total || _collapsed != other._collapsed)
            {
                return false;
            }

            if (_total == 0)
            {
                return true;
            }

            var low = LowestIndex();
            var high = HighestIndex();
            if (low != other.LowestIndex() || high != other.HighestIndex())
            {
                return false;
            }

            for (var index = low; index <= high; index++)
            {
                if (CountAt(index - _offset) != other.CountAt(index - other._offset))
                {
                    return false;
                }
            }

            return true;
        }

        private readonly int FirstNonZero() =>
            Math.Max(0, _wide is not null ? _wide.AsSpan().IndexOfAnyExcept(0UL) : _narrow.AsSpan().IndexOfAnyExcept(0U));

        private readonly int LastNonZero() =>
            Math.Max(0, _wide is not null ? _wide.AsSpan().LastIndexOfAnyExcept(0UL) : _narrow.AsSpan().LastIndexOfAnyExcept(0U));

        private void AddAt(int position, ulong count)
        {
            if (_wide is not null)
            {
                _wide[position] += count;
            }
            else
            {
                _narrow![position] += (uint)count;
            }

            _total += count;
        }

        private void Widen()
        {
            if (_wide is not null)
            {
                return;
            }

            var wide = new ulong[_narrow?.Length ?? 0];
            if (_narrow is not null)
            {
                for (var i = 0; i < _narrow.Length; i++)
                {
                    wide[i] = _narrow[i];
                }
            }

            _wide = wide;
            _narrow = null;
        }

        /// <summary>
        /// Makes the array cover [low, high] after collapsing everything below
        /// <c>high - maxBuckets + 1</c> into that bucket; returns the collapse floor (or
        /// <see cref="int.MinValue"/> when nothing has to collapse).
        /// </summary>
        private int Reshape(int low, int high, int maxBuckets)
        {
            var floor = int.MinValue;
            if (high - low + 1 > maxBuckets)
            {
                floor = high - maxBuckets + 1;
                low = floor;
                _collapsed = true;
            }

            var length = Length;
            var covered = length > 0 && low >= _offset && high < _offset + length;
            if (covered)
            {
                if (floor != int.MinValue && _total != 0)
                {
                    FoldBelow(floor);
                }

                return floor;
            }

            var span = high - low + 1;
            if (_total == 0 && span <= length)
            {
                // An emptied store keeps its array: only its position moves.
                _offset = low - ((length - span) / 2);
                return floor;
            }

            var grewUp = _total != 0 && high >= _offset + length;
            var grewDown = _total != 0 && low < _offset;
            if (span <= length && floor == int.MinValue)
            {
                // The span fits the array the store has (a pooled window's, sized by an earlier series, or one an
                // emptied store kept): the counts move within it, placed as in a new array of that length, instead
                // of going to a new one.
                Shift(NewOffset(low, length - span, grewUp, grewDown));
                return floor;
            }

            // Spare room of a quarter of the span, most of it on the side that grew: a new array stays
            // within 1.25x the span (1 ms..1 h fits in 8 KB) and reallocates only after the span
            // grew by a sixteenth, so growth is amortised.
            var newLength = Math.Max(InitialBucketLength, span + Math.Max(64, span / 4));
            newLength = Math.Min((newLength + 63) & ~63, maxBuckets);
            var newOffset = NewOffset(low, newLength - span, grewUp, grewDown);

            if (_wide is not null)
            {
                var wide = new ulong[newLength];
                for (var p = 0; _total != 0 && p < length; p++)
                {
                    if (_wide[p] != 0)
                    {
                        wide[Math.Max(_offset + p, low) - newOffset] += _wide[p];
                    }
                }

                _wide = wide;
            }
            else
            {
                var narrow = new uint[newLength];
                for (var p = 0; _total != 0 && p < length; p++)
                {
                    if (_narrow![p] != 0)
                    {
                        narrow[Math.Max(_offset + p, low) - newOffset] += _narrow[p];
                    }
                }

                _narrow = narrow;
            }

            _offset = newOffset;
            return floor;
        }

        /// <summary>Where an array with <paramref name="spare"/> buckets beyond the span starts: most of the spare room on the side that grew.</summary>
        private static int NewOffset(int low, int spare, bool grewUp, bool grewDown) => grewUp == grewDown
            ? low - (spare / 2)
            : grewUp ? low - (spare / 4) : low - (spare - (spare / 4));

        /// <summary>
        /// Moves the counts within the array so that it starts at bucket <paramref name="newOffset"/>. Every non-empty
        /// bucket lies in both the old and the new range (the caller's span holds them all), so what leaves the array is zero.
        /// </summary>
        private void Shift(int newOffset)
        {
            var shift = _offset - newOffset;
            if (_wide is not null)
            {
                ShiftCounts(_wide, shift);
            }
            else
            {
                ShiftCounts(_narrow!, shift);
            }

            _offset = newOffset;
        }

        private static void ShiftCounts<T>(T[] counts, int shift)
        {
            if (shift > 0)
            {
                Array.Copy(counts, 0, counts, shift, counts.Length - shift);
                Array.Clear(counts, 0, shift);
            }
            else if (shift < 0)
            {
                Array.Copy(counts, -shift, counts, 0, counts.Length + shift);
                Array.Clear(counts, counts.Length + shift, -shift);
            }
        }

        private void FoldBelow(int floor)
        {
            var floorPosition = floor - _offset;
            if (_wide is not null)
            {
                for (var p = 0; p < floorPosition; p++)
                {
                    _wide[floorPosition] += _wide[p];
                    _wide[p] = 0;
                }
            }
            else
            {
                for (var p = 0; p < floorPosition; p++)
                {
                    _narrow![floorPosition] += _narrow[p];
                    _narrow[p] = 0;
                }
            }
        }
    }
}
