using System.Text.Json.Serialization;
using AnalyticsHub.TimeSeries.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>How empty time buckets are filled: <c>"null"</c>, <c>"previous"</c>, <c>"linear"</c>, <c>"zero"</c> or <c>{"value": 7}</c> on the wire.</summary>
/// <remarks>Without a fill strategy, empty buckets are left out of the result.</remarks>
[JsonConverter(typeof(FillStrategyJsonConverter))]
public readonly record struct FillStrategy
{
    private FillStrategy(FillStrategyKind kind, long value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>The strategy.</summary>
    public FillStrategyKind Kind { get; }

    /// <summary>The constant of <see cref="FillStrategyKind.Value"/>.</summary>
    public long Value { get; }

    /// <summary><c>null</c>.</summary>
    public static FillStrategy Null => new(FillStrategyKind.Null, 0);

    /// <summary><c>previous</c>.</summary>
    public static FillStrategy Previous => new(FillStrategyKind.Previous, 0);

    /// <summary><c>linear</c>.</summary>
    public static FillStrategy Linear => new(FillStrategyKind.Linear, 0);

    /// <summary><c>zero</c>.</summary>
    public static FillStrategy Zero => new(FillStrategyKind.Zero, 0);

    /// <summary><c>{"value": n}</c>.</summary>
    /// <param name="value">The constant.</param>
    /// <returns>The strategy.</returns>
    public static FillStrategy WithValue(long value) => new(FillStrategyKind.Value, value);
}
