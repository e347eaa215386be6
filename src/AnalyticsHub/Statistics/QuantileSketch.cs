using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnalyticsHub.Statistics;

/// <summary>
/// A mergeable quantile sketch (DDSketch family) with a guaranteed relative error, on the
/// buckets of the OpenTelemetry base-2 exponential histogram at scale 6.
/// </summary>
/// <remarks>
/// <para>
/// A value v ≠ 0 goes to bucket i = ceil(log_γ |v|) - 1 with γ = 2^(2^-6), i.e. the bucket
/// (γ^i, γ^(i+1)]; positive and negative values have separate stores and zeros (including -0)
/// a count of their own. Indices are computed exactly from the IEEE-754 bits, so a value's bucket
/// never depends on insertion order and merging sketches of parts gives exactly the buckets of
/// one sketch of the whole.
/// </para>
/// <para>
/// Guarantee (spec decision 10): for any q in [0, 1], with h = (n - 1) q, the returned v satisfies
/// x[floor(h)] - α|x[floor(h)]| ≤ v ≤ x[ceil(h)] + α|x[ceil(h)]| where α =
/// <see cref="RelativeAccuracy"/> (about 0.54%), for normal (not subnormal) doubles, over the
/// range the sketch has not collapsed. Each store keeps at most <see cref="MaxBucketsPerSign"/>
/// buckets (4,096 by default: about 19 decades); when a store would span more, its lowest buckets
/// (the values nearest zero) are folded into the lowest retained one, as DDSketch does. The
/// result depends only on the multiset of values, so merge stays exact and order-independent.
/// See <see cref="CollapsedMagnitudeLimit"/> for where the guarantee stops.
/// </para>
/// <para>
/// Insertion does not allocate except for amortised growth of the bucket arrays. Bucket counts
/// are 32-bit until a store holds more than 2^32 - 1 values, then 64-bit. Not thread-safe: one
/// writer at a time; merge per-thread sketches on read.
/// </para>
/// </remarks>
public sealed partial class QuantileSketch
{
    /// <summary>The scale of the base-2 exponential buckets: 2^6 = 64 buckets per power of two.</summary>
    public const int Scale = 6;

    /// <summary>The default maximum number of buckets kept for each sign (about 19 decades at scale 6).</summary>
    public const int DefaultMaxBucketsPerSign = 4096;

    /// <summary>The largest accepted bucket limit per sign; it covers every double.</summary>
    public const int MaxAllowedBucketsPerSign = 1 << 17;

    /// <summary>The smallest bucket index: the bucket of the smallest subnormal double, 2^-1074.</summary>
    internal const int MinBucketIndex = (-1074 << Scale) - 1;

    /// <summary>The largest bucket index: the bucket of <see cref="double.MaxValue"/>.</summary>
    internal const int MaxBucketIndex = (1024 << Scale) - 1;

    private const int InitialBucketLength = 128;
    private const long MantissaMask = 0x000F_FFFF_FFFF_FFFF;
    private const int ExponentBias = 1023;

    // header (16) + two stores (2 x 32) + zero count, count, min, max (32) + limit (4, padded to 8).
    private const int ObjectBytes = 16 + (2 * 32) + 32 + 8;

    private static readonly double[] RepresentativeTable = CreateRepresentativeTable();

    private readonly int _maxBucketsPerSign;
    private BucketStore _positive;
    private BucketStore _negative;
    private ulong _zeroCount;
    private ulong _count;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>Initializes an empty sketch.</summary>
    /// <param name="maxBucketsPerSign">The most buckets kept for positive values, and separately for negative values.</param>
    /// <exception cref="ArgumentOutOfRangeException">The limit is below 1 or above <see cref="MaxAllowedBucketsPerSign"/>.</exception>
    public QuantileSketch(int maxBucketsPerSign = DefaultMaxBucketsPerSign)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBucketsPerSign, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBucketsPerSign, MaxAllowedBucketsPerSign);
        _maxBucketsPerSign = maxBucketsPerSign;
    }

    /// <summary>Gets the bucket growth factor γ = 2^(1/64).</summary>
    public static double Gamma { get; } = Math.Pow(2, 1.0 / (1 << Scale));

    /// <summary>Gets the guaranteed relative error α = (γ - 1) / (γ + 1) of returned quantiles, about 0.0054.</summary>
    public static double RelativeAccuracy { get; } = (Gamma - 1) / (Gamma + 1);

    /// <summary>Gets the most buckets kept for each sign.</summary>
    public int MaxBucketsPerSign => _maxBucketsPerSign;

    /// <summary>Gets the number of values added.</summary>
    public ulong Count => _count;

    /// <summary>Gets the number of zeros added.</summary>
    public ulong ZeroCount => _zeroCount;

    /// <summary>Gets the exact smallest value added, or <see cref="double.NaN"/> when empty.</summary>
    public double Min => _count == 0 ? double.NaN : _min;

    /// <summary>Gets the exact largest value added, or <see cref="double.NaN"/> when empty.</summary>
    public double Max => _count == 0 ? double.NaN : _max;

    /// <summary>Gets a value indicating whether either store has folded its lowest buckets to stay within the limit.</summary>
    public bool IsCollapsed => _positive.Collapsed || _negative.Collapsed;

    /// <summary>
    /// Gets the magnitude at or below which values may have been collapsed: the relative-error
    /// guarantee holds for quantiles whose neighbouring ranked values have a larger magnitude.
    /// </summary>
    /// <remarks>0 when nothing has collapsed.</remarks>
    public double CollapsedMagnitudeLimit
    {
        get
        {
            var limit = 0.0;
            if (_positive.Collapsed)
            {
                limit = LowerBoundary(_positive.LowestIndex());
            }

            if (_negative.Collapsed)
            {
                limit = Math.Max(limit, LowerBoundary(_negative.LowestIndex()));
            }

            return limit;
        }
    }

    /// <summary>Adds a value, refusing NaN and infinities.</summary>
    /// <param name="value">The value to add.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the value is NaN or infinite and nothing changed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var biasedExponent = (int)(bits >> 52) & 0x7FF;
        if (biasedExponent == 0x7FF)
        {
            return false;
        }

        _count++;
        if (value < _min)
        {
            _min = value;
        }

        if (value > _max)
        {
            _max = value;
        }

        int index;
        if (biasedExponent != 0)
        {
            index = MapNormal(biasedExponent, bits & MantissaMask);
        }
        else if ((bits & MantissaMask) == 0)
        {
            _zeroCount++;
            return true;
        }
        else
        {
            index = MapSubnormal(bits);
        }

        if (bits >= 0)
        {
            _positive.Increment(index, _maxBucketsPerSign);
        }
        else
        {
            _negative.Increment(index, _maxBucketsPerSign);
        }

        return true;
    }

    /// <summary>
    /// Adds a run of values, refusing NaN and infinities: the same sketch, bit for bit, as adding them one by one with
    /// <see cref="TryAdd(double)"/>, which it calls for each value (the per-value insert is the one bucket write, and it
    /// stays small enough for the runtime to inline).
    /// </summary>
    /// <param name="values">The values to add, in any order.</param>
    /// <returns>How many were added (the finite ones); the others changed nothing.</returns>
    public int TryAdd(ReadOnlySpan<double> values)
    {
        var added = 0;
        foreach (var value in values)
        {
            if (TryAdd(value))
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>Returns the estimated q-quantile (R-7 rule), within <see cref="RelativeAccuracy"/> and clamped to [<see cref="Min"/>, <see cref="Max"/>].</summary>
    /// <param name="q">The quantile, from 0 (minimum) to 1 (maximum).</param>
    /// <returns>The estimate, or <see cref="double.NaN"/> when the sketch is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is NaN or outside [0, 1].</exception>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "The quantile must be in [0, 1].");
        }

        if (_count == 0)
        {
            return double.NaN;
        }

        if (q == 0)
        {
            return _min;
        }

        if (q == 1)
        {
            return _max;
        }

        var h = (_count - 1) * q;
        var lowRank = (ulong)Math.Floor(h);
        var fraction = h - lowRank;
        var low = ValueAtRank(lowRank);
        var value = low;
        if (fraction > 0 && lowRank + 1 < _count)
        {
            var high = ValueAtRank(lowRank + 1);
            value = low + (fraction * (high - low));
            if (!double.IsFinite(value))
            {
                value = ((1 - fraction) * low) + (fraction * high);
            }
        }

        return Math.Clamp(value, _min, _max);
    }

    /// <summary>Merges another sketch into this one, as if its values had been added here.</summary>
    /// <param name="other">The sketch to merge in; it is not changed.</param>
    /// <exception cref="ArgumentException">The sketches have different <see cref="MaxBucketsPerSign"/>, which would make the collapse depend on merge order.</exception>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._maxBucketsPerSign != _maxBucketsPerSign)
        {
            throw new ArgumentException(
                $"Cannot merge a sketch limited to {other._maxBucketsPerSign} buckets per sign into one limited to {_maxBucketsPerSign}.",
                nameof(other));
        }

        if (other._count == 0)
        {
            return;
        }

        _positive.Merge(in other._positive, _maxBucketsPerSign);
        _negative.Merge(in other._negative, _maxBucketsPerSign);
        _zeroCount += other._zeroCount;
        _count += other._count;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>Removes every value, keeping the allocated buckets for reuse.</summary>
    public void Reset()
    {
        _positive.Reset();
        _negative.Reset();
        _zeroCount = 0;
        _count = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
    }

    /// <summary>Returns an independent copy of this sketch.</summary>
    /// <returns>The copy.</returns>
    public QuantileSketch Clone()
    {
        var copy = new QuantileSketch(_maxBucketsPerSign)
        {
            _positive = _positive.Clone(),
            _negative = _negative.Clone(),
            _zeroCount = _zeroCount,
            _count = _count,
            _min = _min,
            _max = _max,
        };
        return copy;
    }

    /// <summary>Returns the memory this sketch holds: its object plus its bucket arrays, in bytes.</summary>
    /// <returns>The size in bytes (64-bit runtime layout).</returns>
    public long GetMemoryBytes() => ObjectBytes + _positive.ArrayBytes + _negative.ArrayBytes;

    /// <summary>Returns the bucket index of a positive finite value (the OpenTelemetry scale-6 index).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int MapToIndex(double magnitude)
    {
        var bits = BitConverter.DoubleToInt64Bits(magnitude);
        var biasedExponent = (int)(bits >> 52) & 0x7FF;
        return biasedExponent != 0 ? MapNormal(biasedExponent, bits & MantissaMask) : MapSubnormal(bits);
    }

    /// <summary>Returns the representative value of bucket <paramref name="index"/>, 2γ^(i+1)/(1+γ): within α of every value in the bucket.</summary>
    internal static double Representative(int index) =>
        Math.ScaleB(RepresentativeTable[index & ((1 << Scale) - 1)], index >> Scale);

    /// <summary>Returns γ^index, the exclusive lower boundary of bucket <paramref name="index"/>.</summary>
    internal static double LowerBoundary(int index) => Math.Pow(2, (double)index / (1 << Scale));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MapNormal(int biasedExponent, long mantissa)
    {
        // The top 7 mantissa bits pick a cell holding at most one sub-bucket boundary (boundaries
        // are at least 1.39 cells apart); one comparison against the exact threshold settles it.
        var cell = (int)(mantissa >> 45);
        int sub = Unsafe.Add(ref MemoryMarshal.GetReference(CellToSubBucket), cell);
        sub += (ulong)mantissa > Unsafe.Add(ref MemoryMarshal.GetReference(SubBucketThresholds), sub) ? 1 : 0;
        return ((biasedExponent - ExponentBias) << Scale) - 1 + sub;
    }

    private static int MapSubnormal(long bits)
    {
        // Scaling by 2^64 is exact and shifts the index by exactly 64 x 64.
        var normal = Math.Abs(BitConverter.Int64BitsToDouble(bits)) * 18446744073709551616.0;
        var normalBits = BitConverter.DoubleToInt64Bits(normal);
        return MapNormal((int)(normalBits >> 52) & 0x7FF, normalBits & MantissaMask) - (64 << Scale);
    }

    private static double[] CreateRepresentativeTable()
    {
        var gamma = Math.Pow(2, 1.0 / (1 << Scale));
        var table = new double[1 << Scale];
        for (var j = 0; j < table.Length; j++)
        {
            table[j] = Math.Pow(2, (double)j / (1 << Scale)) * 2 * gamma / (1 + gamma);
        }

        return table;
    }

    private double ValueAtRank(ulong rank)
    {
        var negatives = _negative.Total;
        if (rank < negatives)
        {
            // Sorted order starts with the largest negative magnitudes: walk that store downwards.
            return -Representative(_negative.IndexAtRankDescending(rank));
        }

        rank -= negatives;
        if (rank < _zeroCount)
        {
            return 0;
        }

        return Representative(_positive.IndexAtRankAscending(rank - _zeroCount));
    }

    // T_k = floor((2^(k/64) - 1) * 2^52): a mantissa m is above the k-th sub-bucket boundary
    // exactly when m > T_k (2^(k/64) is irrational, so no mantissa equals it). T_0 = 0 puts exact
    // powers of two in the bucket below, as OpenTelemetry does; T_64 is a sentinel. Computed with
    // exact integer arithmetic and verified by a test.
    private static ReadOnlySpan<ulong> SubBucketThresholds =>
    [
        0x0000000000000, 0x02C9A3E778060, 0x059B0D3158574, 0x0874518759BC8, 0x0B5586CF9890F, 0x0E3EC32D3D1A2, 0x11301D0125B50, 0x1429AAEA92DDF,
        0x172B83C7D517A, 0x1A35BEB6FCB75, 0x1D4873168B9AA, 0x2063B88628CD6, 0x2387A6E756238, 0x26B4565E27CDD, 0x29E9DF51FDEE1, 0x2D285A6E4030B,
        0x306FE0A31B715, 0x33C08B26416FF, 0x371A7373AA9CA, 0x3A7DB34E59FF6, 0x3DEA64C123422, 0x4160A21F72E29, 0x44E086061892D, 0x486A2B5C13CD0,
        0x4BFDAD5362A27, 0x4F9B2769D2CA6, 0x5342B569D4F81, 0x56F4736B527DA, 0x5AB07DD485429, 0x5E76F15AD2148, 0x6247EB03A5584, 0x6623882552224,
        0x6A09E667F3BCC, 0x6DFB23C651A2E, 0x71F75E8EC5F73, 0x75FEB564267C8, 0x7A11473EB0186, 0x7E2F336CF4E62, 0x82589994CCE12, 0x868D99B4492EC,
        0x8ACE5422AA0DB, 0x8F1AE99157736, 0x93737B0CDC5E4, 0x97D829FDE4E4F, 0x9C49182A3F090, 0xA0C667B5DE564, 0xA5503B23E255C, 0xA9E6B5579FDBF,
        0xAE89F995AD3AD, 0xB33A2B84F15FA, 0xB7F76F2FB5E46, 0xBCC1E904BC1D2, 0xC199BDD85529C, 0xC67F12E57D14B, 0xCB720DCEF9069, 0xD072D4A07897B,
        0xD5818DCFBA487, 0xDA9E603DB3285, 0xDFC97337B9B5E, 0xE502EE78B3FF6, 0xEA4AFA2A490D9, 0xEFA1BEE615A27, 0xF50765B6E4540, 0xFA7C1819E90D8,
        ulong.MaxValue,
    ];

    // For each of the 128 cells of the top 7 mantissa bits: how many thresholds lie below the cell.
    private static ReadOnlySpan<byte> CellToSubBucket =>
    [
        0, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9, 10, 11, 11, 12, 13, 13, 14, 15, 15, 16, 16, 17, 18, 18, 19, 19, 20, 21,
        21, 22, 22, 23, 23, 24, 25, 25, 26, 26, 27, 27, 28, 28, 29, 29, 30, 30, 31, 31, 32, 32, 33, 34, 34, 35, 35, 36, 36, 36,
        37, 37, 38, 38, 39, 39, 40, 40, 41, 41, 42, 42, 43, 43, 44, 44, 44, 45, 45, 46, 46, 47, 47, 48, 48, 48, 49, 49, 50, 50,
        51, 51, 51, 52, 52, 53, 53, 53, 54, 54, 55, 55, 55, 56, 56, 57, 57, 57, 58, 58, 59, 59, 59, 60, 60, 60, 61, 61, 62, 62,
        62, 63, 63, 63, 64, 64,
    ];

    /// <summary>Exposes the thresholds to the test that re-derives them with exact integer arithmetic.</summary>
    internal static ReadOnlySpan<ulong> ThresholdsForTesting => SubBucketThresholds;

    /// <summary>Exposes the cell table to the test that re-derives it.</summary>
    internal static ReadOnlySpan<byte> CellTableForTesting => CellToSubBucket;
}
