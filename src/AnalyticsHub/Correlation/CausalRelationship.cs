using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Correlation;

/// <summary>How one event of a causal chain leads to the next (wire form: snake_case).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<CausalRelationship>))]
public enum CausalRelationship
{
    /// <summary><c>direct_cause</c>: the first event caused the second.</summary>
    DirectCause = 0,

    /// <summary><c>indirect_cause</c>: the first event caused the second through something in between.</summary>
    IndirectCause = 1,

    /// <summary><c>correlation</c>: the two move together; no direction is claimed.</summary>
    Correlation = 2,

    /// <summary><c>amplification</c>: the first event made the second larger (retries multiplying load, a surge multiplying cost).</summary>
    Amplification = 3,
}
