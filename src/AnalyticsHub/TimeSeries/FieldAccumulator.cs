using System.Buffers;
using AnalyticsHub.Statistics;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The per-(group, bucket) state of one aggregated field, as parallel arrays indexed by cell: only the statistics the
/// query asks for are allocated. Exact percentiles keep the cell's values in one pooled buffer (cells laid out by a
/// counting pass) and select on it; sketch percentiles keep a <see cref="QuantileSketch"/> per cell.
/// </summary>
/// <remarks>
/// Created by an <see cref="AggregationGrid"/>; a backend's scan calls <see cref="Add"/> per value (or
/// <see cref="CountValue"/> in the counting pass when <see cref="NeedsValues"/>), <see cref="AddSummary"/> per column
/// header when <see cref="SummaryOnly"/>. Non-virtual and allocation-free per value. Not thread-safe.
/// </remarks>
public sealed class FieldAccumulator
{
    private readonly bool _sum;
    private readonly bool _spread;
    private readonly bool _minMax;
    private readonly bool _first;
    private readonly bool _last;

    internal FieldAccumulator(string field, int cells, bool sum, bool spread, bool minMax, bool first, bool last, bool values, bool sketch)
    {
        Field = field;
        Count = new long[cells];
        _sum = sum;
        _spread = spread;
        _minMax = minMax;
        _first = first;
        _last = last;
        NeedsValues = values;
        NeedsSketch = sketch;
        if (sum)
        {
            Sum = new double[cells];
            SumCompensation = new double[cells];
        }

        if (spread)
        {
            Shift = new double[cells];
            ShiftedSum = new double[cells];
            ShiftedSquares = new double[cells];
        }

        if (minMax)
        {
            Min = new double[cells];
            Max = new double[cells];
        }

        if (first)
        {
            FirstTicks = new long[cells];
            FirstTicks.AsSpan().Fill(long.MaxValue);
            FirstValue = new double[cells];
        }

        if (last)
        {
            LastTicks = new long[cells];
            LastTicks.AsSpan().Fill(long.MinValue);
            LastValue = new double[cells];
        }

        if (values)
        {
            Offsets = new int[cells + 1];
        }

        if (sketch)
        {
            Sketches = new QuantileSketch?[cells];
            _borrowed = new RollupCell?[cells];
        }
    }

    // A cell fed by exactly one rollup bucket reads that bucket's sketch instead of copying it (an hourly query over
    // hourly rollups merges nothing); a second contribution copies it into the cell's own sketch first.
    private readonly RollupCell?[]? _borrowed;
    private QuantileSketch? _scratch;
    private int _scratchCell = -1;

    /// <summary>The field aggregated.</summary>
    public string Field { get; }

    /// <summary>Whether the cells keep their values (exact percentiles): the scan then runs a counting pass first.</summary>
    public bool NeedsValues { get; }

    /// <summary>Whether the cells keep sketches (sketch percentiles).</summary>
    public bool NeedsSketch { get; }

    internal long[] Count { get; }

    internal double[]? Sum { get; }

    internal double[]? SumCompensation { get; }

    internal double[]? Shift { get; }

    internal double[]? ShiftedSum { get; }

    internal double[]? ShiftedSquares { get; }

    internal double[]? Min { get; }

    internal double[]? Max { get; }

    internal long[]? FirstTicks { get; }

    internal double[]? FirstValue { get; }

    internal long[]? LastTicks { get; }

    /// <summary>Cells that merged a rollup written without its first and last values (first/last then unknown).</summary>
    internal bool[]? EndsUnknown { get; private set; }

    /// <summary>Whether any cell's first/last is unknown.</summary>
    internal bool HasUnknownEnds => EndsUnknown is not null;

    internal double[]? LastValue { get; }

    /// <summary>Start of each cell's values in <see cref="Values"/> (the counting pass fills counts, then prefix sums).</summary>
    internal int[]? Offsets { get; }

    internal double[]? Values { get; private set; }

    internal QuantileSketch?[]? Sketches { get; }

    /// <summary>Whether the field needs only count, min and max, so a sealed chunk's column header can stand in for its rows.</summary>
    public bool SummaryOnly => !_sum && !_spread && !_first && !_last && !NeedsValues && !NeedsSketch;

    /// <summary>Adds a whole column's count, min and max to a cell (only when <see cref="SummaryOnly"/>), as adding its rows in order would.</summary>
    /// <param name="cell">The cell.</param>
    /// <param name="count">The numeric values in the column.</param>
    /// <param name="min">Their minimum.</param>
    /// <param name="max">Their maximum.</param>
    public void AddSummary(int cell, long count, double min, double max)
    {
        if (count == 0)
        {
            return;
        }

        var n = Count[cell];
        Count[cell] = n + count;
        if (_minMax)
        {
            if (n == 0)
            {
                Min![cell] = min;
                Max![cell] = max;
            }
            else
            {
                if (min < Min![cell])
                {
                    Min[cell] = min;
                }

                if (max > Max![cell])
                {
                    Max[cell] = max;
                }
            }
        }
    }

    /// <summary>Counting pass: one more value in a cell.</summary>
    /// <param name="cell">The cell.</param>
    public void CountValue(int cell) => Offsets![cell + 1]++;

    /// <summary>Counting pass: <paramref name="count"/> more values in a cell (a run of rows that are all numeric).</summary>
    internal void CountValues(int cell, int count) => Offsets![cell + 1] += count;

    /// <summary>Whether <see cref="Add"/> and <see cref="AddRun"/> read the values' times (first or last is asked).</summary>
    internal bool NeedsTicks => _first || _last;

    /// <summary>
    /// Adds a run of numeric values of one cell, in row order: the same arithmetic as <see cref="Add"/> per value (so
    /// the same bits), with the cell's state kept in locals and the flags checked once per run.
    /// </summary>
    /// <param name="cell">The cell.</param>
    /// <param name="ticks">The values' times; read only when <see cref="NeedsTicks"/> (empty otherwise).</param>
    /// <param name="values">The values.</param>
    internal void AddRun(int cell, ReadOnlySpan<long> ticks, ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        var n = Count[cell];
        Count[cell] = n + values.Length;
        if (_sum)
        {
            var s = Sum![cell];
            var c = SumCompensation![cell];
            foreach (var value in values)
            {
                var t = s + value;
                c += Math.Abs(s) >= Math.Abs(value) ? (s - t) + value : (value - t) + s;
                s = t;
            }

            Sum[cell] = s;
            SumCompensation[cell] = c;
        }

        if (_spread)
        {
            if (n == 0)
            {
                Shift![cell] = values[0];
            }

            var shift = Shift![cell];
            var shiftedSum = ShiftedSum![cell];
            var shiftedSquares = ShiftedSquares![cell];
            foreach (var value in values)
            {
                var d = value - shift;
                shiftedSum += d;
                shiftedSquares += d * d;
            }

            ShiftedSum[cell] = shiftedSum;
            ShiftedSquares[cell] = shiftedSquares;
        }

        if (_minMax)
        {
            var min = n == 0 ? values[0] : Min![cell];
            var max = n == 0 ? values[0] : Max![cell];
            foreach (var value in values)
            {
                if (value < min)
                {
                    min = value;
                }

                if (value > max)
                {
                    max = value;
                }
            }

            Min![cell] = min;
            Max![cell] = max;
        }

        if (_first)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (ticks[i] < FirstTicks![cell])
                {
                    FirstTicks[cell] = ticks[i];
                    FirstValue![cell] = values[i];
                }
            }
        }

        if (_last)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (ticks[i] >= LastTicks![cell])
                {
                    LastTicks[cell] = ticks[i];
                    LastValue![cell] = values[i];
                }
            }
        }

        if (NeedsValues)
        {
            values.CopyTo(Values.AsSpan(Offsets![cell] + (int)n));
        }

        if (NeedsSketch)
        {
            var sketch = OwnSketch(cell);
            foreach (var value in values)
            {
                sketch.TryAdd(value);
            }
        }
    }

    /// <summary>After the counting pass: turns counts into offsets and rents the value buffer.</summary>
    internal void PrepareValues()
    {
        var offsets = Offsets!;
        for (var i = 1; i < offsets.Length; i++)
        {
            offsets[i] += offsets[i - 1];
        }

        Values = ArrayPool<double>.Shared.Rent(Math.Max(1, offsets[^1]));
    }

    /// <summary>Adds one numeric value to a cell.</summary>
    /// <param name="cell">The cell (<see cref="AggregationGrid.CellOf"/>).</param>
    /// <param name="ticks">The value's time (UTC ticks), for first and last.</param>
    /// <param name="value">The value.</param>
    public void Add(int cell, long ticks, double value)
    {
        var n = Count[cell]++;
        if (_sum)
        {
            // Neumaier's compensated summation: results within decision 10's tolerance in any order.
            var s = Sum![cell];
            var t = s + value;
            SumCompensation![cell] += Math.Abs(s) >= Math.Abs(value) ? (s - t) + value : (value - t) + s;
            Sum[cell] = t;
        }

        if (_spread)
        {
            // Shifted data: deviations from the cell's first value keep the variance free of cancellation.
            if (n == 0)
            {
                Shift![cell] = value;
            }

            var d = value - Shift![cell];
            ShiftedSum![cell] += d;
            ShiftedSquares![cell] += d * d;
        }

        if (_minMax)
        {
            if (n == 0)
            {
                Min![cell] = value;
                Max![cell] = value;
            }
            else
            {
                if (value < Min![cell])
                {
                    Min[cell] = value;
                }

                if (value > Max![cell])
                {
                    Max[cell] = value;
                }
            }
        }

        if (_first && ticks < FirstTicks![cell])
        {
            FirstTicks[cell] = ticks;
            FirstValue![cell] = value;
        }

        if (_last && ticks >= LastTicks![cell])
        {
            LastTicks[cell] = ticks;
            LastValue![cell] = value;
        }

        if (NeedsValues)
        {
            Values![Offsets![cell] + (int)n] = value;
        }

        if (NeedsSketch)
        {
            OwnSketch(cell).TryAdd(value);
        }
    }

    /// <summary>The quantile of a cell's sketch (own or borrowed).</summary>
    internal double SketchQuantile(int cell, double q)
    {
        if (Sketches![cell] is { } own)
        {
            return own.Quantile(q);
        }

        if (_borrowed![cell] is { } borrowed && borrowed.TryQuantileInPlace(q, out var inPlace))
        {
            return inPlace;
        }

        if (_scratchCell != cell)
        {
            _scratch ??= new QuantileSketch();
            _scratch.Reset();
            _borrowed[cell]?.MergeSketchInto(_scratch);
            _scratchCell = cell;
        }

        return _scratch!.Quantile(q);
    }

    private QuantileSketch OwnSketch(int cell)
    {
        var sketch = Sketches![cell];
        if (sketch is null)
        {
            sketch = Sketches[cell] = new QuantileSketch();
            if (_borrowed![cell] is { } borrowed)
            {
                borrowed.MergeSketchInto(sketch);
                _borrowed[cell] = null;
            }
        }

        return sketch;
    }

    /// <summary>Merges a rollup bucket's summary into a cell, as adding its values would (sums and moments within decision 10's tolerance).</summary>
    internal void AddRollup(int cell, RollupCell rollup)
    {
        var stats = rollup.Stats;
        var n = Count[cell];
        var m = (long)stats.Count;
        Count[cell] = n + m;
        if (_sum)
        {
            var s = Sum![cell];
            var value = stats.Sum;
            var t = s + value;
            SumCompensation![cell] += Math.Abs(s) >= Math.Abs(value) ? (s - t) + value : (value - t) + s;
            Sum[cell] = t;
        }

        if (_spread)
        {
            // Σ(x - c) = m(μ - c) and Σ(x - c)² = M2 + m(μ - c)² for the bucket's m values of mean μ.
            if (n == 0)
            {
                Shift![cell] = stats.Mean;
            }

            var d = stats.Mean - Shift![cell];
            ShiftedSum![cell] += m * d;
            ShiftedSquares![cell] += stats.SumOfSquaredDeviations + (m * d * d);
        }

        if (_minMax)
        {
            Min![cell] = n == 0 ? stats.Min : Math.Min(Min[cell], stats.Min);
            Max![cell] = n == 0 ? stats.Max : Math.Max(Max[cell], stats.Max);
        }

        if ((_first || _last) && !rollup.ExactEnds)
        {
            (EndsUnknown ??= new bool[Count.Length])[cell] = true;
        }

        if (_first && rollup.ExactEnds && rollup.FirstTicks < FirstTicks![cell])
        {
            FirstTicks[cell] = rollup.FirstTicks;
            FirstValue![cell] = rollup.First;
        }

        if (_last && rollup.ExactEnds && rollup.LastTicks >= LastTicks![cell])
        {
            LastTicks[cell] = rollup.LastTicks;
            LastValue![cell] = rollup.Last;
        }

        if (NeedsSketch)
        {
            if (n == 0 && Sketches![cell] is null && _borrowed![cell] is null)
            {
                _borrowed[cell] = rollup;
            }
            else
            {
                rollup.MergeSketchInto(OwnSketch(cell));
            }
        }
    }

    /// <summary>The cell's values for selection (reordered in place by it).</summary>
    internal Span<double> CellValues(int cell) => Values.AsSpan(Offsets![cell], (int)Count[cell]);

    internal void Release()
    {
        if (Values is not null)
        {
            ArrayPool<double>.Shared.Return(Values);
            Values = null;
        }
    }
}
