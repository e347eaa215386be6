using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Metadata;

/// <summary>How a dashboard places its widgets (wire format 1.7 <c>LayoutType</c>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<LayoutType>))]
public enum LayoutType
{
    /// <summary><c>grid</c>: a grid of <c>columns</c> columns and rows of <c>row_height</c> pixels; widgets may not overlap.</summary>
    Grid,

    /// <summary><c>flex</c>: widgets flow; positions order them.</summary>
    Flex,

    /// <summary><c>fixed</c>: absolute positions.</summary>
    Fixed,
}
