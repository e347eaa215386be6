using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>How a <see cref="TagCondition"/> compares a tag (wire: <c>eq</c>, <c>ne</c>, <c>in</c>, <c>regex</c>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<TagConditionOperator>))]
public enum TagConditionOperator
{
    /// <summary>The tag equals the single value.</summary>
    Eq,

    /// <summary>The tag is absent or differs from the single value.</summary>
    Ne,

    /// <summary>The tag equals one of the values.</summary>
    In,

    /// <summary>The tag matches the single .NET regular expression (compiled once, with a match timeout).</summary>
    Regex,
}
