using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Correlation;

/// <summary>The relationship an edge of an event graph stands for (wire form: snake_case).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<EdgeRelationship>))]
public enum EdgeRelationship
{
    /// <summary><c>causes</c>: the source event caused the target.</summary>
    Causes = 0,

    /// <summary><c>triggered_by</c>: the source event was triggered by the target.</summary>
    TriggeredBy = 1,

    /// <summary><c>related_to</c>: the two events belong together without order or cause.</summary>
    RelatedTo = 2,

    /// <summary><c>precedes</c>: the source event happened before the target in the same incident.</summary>
    Precedes = 3,

    /// <summary><c>follows</c>: the source event happened after the target.</summary>
    Follows = 4,

    /// <summary><c>correlates_with</c>: the two events' series moved together.</summary>
    CorrelatesWith = 5,

    /// <summary><c>amplifies</c>: the source event made the target larger.</summary>
    Amplifies = 6,

    /// <summary><c>mitigates</c>: the source event reduced the target (a rollback, a failover).</summary>
    Mitigates = 7,
}
