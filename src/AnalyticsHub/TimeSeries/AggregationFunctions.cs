namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The aggregation functions over one cell of a <see cref="FieldAccumulator"/>: compensated sums, shifted-data
/// standard deviation, exact R-7 percentiles by selection (<see cref="Selection"/>) or sketch percentiles, first and
/// last (null where a merged rollup did not keep them). Non-finite results are null.
/// </summary>
internal static class AggregationFunctions
{
    public static FieldValue? Compute(FieldAccumulator accumulator, AggregationFunction function, int cell)
    {
        var n = accumulator.Count[cell];
        if (function.Kind == AggregationFunctionKind.Count)
        {
            return FieldValue.FromInt64(n);
        }

        if (n == 0)
        {
            return null;
        }

        double value;
        switch (function.Kind)
        {
            case AggregationFunctionKind.Sum:
                value = accumulator.Sum![cell] + accumulator.SumCompensation![cell];
                break;
            case AggregationFunctionKind.Mean:
                value = (accumulator.Sum![cell] + accumulator.SumCompensation![cell]) / n;
                break;
            case AggregationFunctionKind.Min:
                value = accumulator.Min![cell];
                break;
            case AggregationFunctionKind.Max:
                value = accumulator.Max![cell];
                break;
            case AggregationFunctionKind.First:
                if (accumulator.EndsUnknown?[cell] == true)
                {
                    return null;
                }

                value = accumulator.FirstValue![cell];
                break;
            case AggregationFunctionKind.Last:
                if (accumulator.EndsUnknown?[cell] == true)
                {
                    return null;
                }

                value = accumulator.LastValue![cell];
                break;
            case AggregationFunctionKind.Stddev:
                if (n < 2)
                {
                    return null;
                }

                var shiftedSum = accumulator.ShiftedSum![cell];
                var variance = (accumulator.ShiftedSquares![cell] - (shiftedSum * shiftedSum / n)) / (n - 1);
                value = Math.Sqrt(Math.Max(0, variance));
                break;
            default:
                var q = function.Kind == AggregationFunctionKind.Median ? 0.5 : function.Percentile / 100.0;
                value = accumulator.NeedsSketch
                    ? accumulator.SketchQuantile(cell, q)
                    : Selection.PercentileR7(accumulator.CellValues(cell), q);
                break;
        }

        return double.IsFinite(value) ? FieldValue.FromDouble(value) : null;
    }
}
