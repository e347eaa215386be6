using System.Globalization;
using System.Text.Json.Serialization;
using AnalyticsHub.TimeSeries.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// A time-series aggregation function: a lowercase string (<c>"mean"</c>, ...) or <c>{"percentile": 95}</c> on the wire.
/// </summary>
[JsonConverter(typeof(AggregationFunctionJsonConverter))]
public readonly record struct AggregationFunction
{
    private AggregationFunction(AggregationFunctionKind kind, byte percentile)
    {
        Kind = kind;
        Percentile = percentile;
    }

    /// <summary>The function.</summary>
    public AggregationFunctionKind Kind { get; }

    /// <summary>The percentile for <see cref="AggregationFunctionKind.Percentile"/> (0 to 255 on the wire; queries accept 0 to 100).</summary>
    public byte Percentile { get; }

    /// <summary><c>mean</c>.</summary>
    public static AggregationFunction Mean => new(AggregationFunctionKind.Mean, 0);

    /// <summary><c>sum</c>.</summary>
    public static AggregationFunction Sum => new(AggregationFunctionKind.Sum, 0);

    /// <summary><c>min</c>.</summary>
    public static AggregationFunction Min => new(AggregationFunctionKind.Min, 0);

    /// <summary><c>max</c>.</summary>
    public static AggregationFunction Max => new(AggregationFunctionKind.Max, 0);

    /// <summary><c>count</c>.</summary>
    public static AggregationFunction Count => new(AggregationFunctionKind.Count, 0);

    /// <summary><c>first</c>.</summary>
    public static AggregationFunction First => new(AggregationFunctionKind.First, 0);

    /// <summary><c>last</c>.</summary>
    public static AggregationFunction Last => new(AggregationFunctionKind.Last, 0);

    /// <summary><c>stddev</c>.</summary>
    public static AggregationFunction Stddev => new(AggregationFunctionKind.Stddev, 0);

    /// <summary><c>median</c>.</summary>
    public static AggregationFunction Median => new(AggregationFunctionKind.Median, 0);

    /// <summary><c>{"percentile": p}</c>.</summary>
    /// <param name="percentile">The percentile, 0 to 100 for a valid query.</param>
    /// <returns>The function.</returns>
    public static AggregationFunction ForPercentile(byte percentile) => new(AggregationFunctionKind.Percentile, percentile);

    /// <summary>Creates a function of a kind that takes no argument.</summary>
    /// <param name="kind">Any kind but <see cref="AggregationFunctionKind.Percentile"/>.</param>
    /// <returns>The function.</returns>
    public static AggregationFunction FromKind(AggregationFunctionKind kind)
    {
        if (kind == AggregationFunctionKind.Percentile || !Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use ForPercentile for percentiles.");
        }

        return new(kind, 0);
    }

    /// <summary>The wire name of the kind (<c>percentile</c> for percentiles).</summary>
    public string WireName => Kind switch
    {
        AggregationFunctionKind.Mean => "mean",
        AggregationFunctionKind.Sum => "sum",
        AggregationFunctionKind.Min => "min",
        AggregationFunctionKind.Max => "max",
        AggregationFunctionKind.Count => "count",
        AggregationFunctionKind.First => "first",
        AggregationFunctionKind.Last => "last",
        AggregationFunctionKind.Stddev => "stddev",
        AggregationFunctionKind.Median => "median",
        _ => "percentile",
    };

    /// <summary>The short label used in result value names: the wire name, or <c>p95</c> for a percentile.</summary>
    public string Label => Kind == AggregationFunctionKind.Percentile ? "p" + Percentile.ToString(CultureInfo.InvariantCulture) : WireName;
}
