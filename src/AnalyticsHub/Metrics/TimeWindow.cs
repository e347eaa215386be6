using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Metrics;

/// <summary>The fixed aggregation windows of metrics (spec 1.4); the wire form is the snake_case name, e.g. <c>one_minute</c>.</summary>
/// <remarks>
/// Seconds and short labels come from <see cref="TimeWindowExtensions"/>. Windows up to
/// <see cref="OneDay"/> align to the Unix epoch in UTC, <see cref="OneWeek"/> starts on Monday
/// 00:00 UTC and <see cref="OneMonth"/> is the calendar month in UTC (decision 15).
/// </remarks>
[JsonConverter(typeof(SnakeCaseEnumConverter<TimeWindow>))]
public enum TimeWindow
{
    /// <summary>One minute (60 s, label <c>1m</c>).</summary>
    OneMinute,

    /// <summary>Five minutes (300 s, label <c>5m</c>).</summary>
    FiveMinutes,

    /// <summary>Fifteen minutes (900 s, label <c>15m</c>).</summary>
    FifteenMinutes,

    /// <summary>One hour (3,600 s, label <c>1h</c>).</summary>
    OneHour,

    /// <summary>Six hours (21,600 s, label <c>6h</c>).</summary>
    SixHours,

    /// <summary>One day (86,400 s, label <c>1d</c>).</summary>
    OneDay,

    /// <summary>One week starting Monday 00:00 UTC (604,800 s, label <c>1w</c>).</summary>
    OneWeek,

    /// <summary>One calendar month in UTC (nominally 2,592,000 s, label <c>1M</c>).</summary>
    OneMonth,
}
