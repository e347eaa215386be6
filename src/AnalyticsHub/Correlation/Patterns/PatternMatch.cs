using System.Globalization;

namespace AnalyticsHub.Correlation.Patterns;

/// <summary>A completed match of a pattern: the events that met its steps, in step order.</summary>
/// <param name="Pattern">The pattern.</param>
/// <param name="EventIds">One event per step, in step order.</param>
/// <param name="StartTicks">The first step's event time.</param>
/// <param name="EndTicks">The last step's event time.</param>
internal sealed record PatternMatch(CompiledPattern Pattern, Guid[] EventIds, long StartTicks, long EndTicks)
{
    /// <summary>
    /// The incident with this match: its <see cref="EventCorrelation.Pattern"/> set, <c>pattern_match</c> among its types
    /// right after the primary one, and metadata <c>pattern_id</c> and <c>pattern_events</c> (the matched events' ids in
    /// step order, comma-separated).
    /// </summary>
    public EventCorrelation ApplyTo(EventCorrelation correlation)
    {
        var types = new List<CorrelationType>(correlation.CorrelationTypes);
        if (!types.Contains(CorrelationType.PatternMatch))
        {
            types.Insert(Math.Min(1, types.Count), CorrelationType.PatternMatch);
        }

        var metadata = new Dictionary<string, string>(correlation.Metadata, StringComparer.Ordinal)
        {
            ["pattern_id"] = Pattern.Pattern.PatternId,
            ["pattern_events"] = string.Join(",", EventIds.Select(id => id.ToString("D", CultureInfo.InvariantCulture))),
        };
        return correlation with { CorrelationType = types[0], CorrelationTypes = types, Pattern = Pattern.Pattern, Metadata = metadata };
    }
}
