using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Metadata;

/// <summary>Where a widget's data comes from (wire format 1.7 <c>DataSourceType</c>); it says what the <c>query</c> holds (decision 19).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<DataSourceType>))]
public enum DataSourceType
{
    /// <summary><c>metrics</c>: the JSON of a <c>TimeSeriesQuery</c> (it has <c>measurement</c>) or a <c>MetricQuery</c> (it has <c>metric_name</c>).</summary>
    Metrics,

    /// <summary><c>events</c>: the JSON of an <c>EventQuery</c>.</summary>
    Events,

    /// <summary><c>logs</c>: a host's log query, free text the hub does not run.</summary>
    Logs,

    /// <summary><c>custom</c>: a host's own query, free text the hub does not run.</summary>
    Custom,
}
