using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Api;

/// <summary>The direction of a sort (wire form: lowercase).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SortOrder>))]
public enum SortOrder
{
    /// <summary><c>asc</c>: oldest or smallest first.</summary>
    Asc,

    /// <summary><c>desc</c>: newest or largest first.</summary>
    Desc,
}
