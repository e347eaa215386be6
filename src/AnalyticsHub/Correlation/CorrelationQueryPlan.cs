using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>
/// What a <see cref="CorrelationQuery"/> means, shared by every <see cref="ICorrelationStore"/> backend: its validation,
/// its window, the traversal from a seed event, the order of the answer and its bound.
/// </summary>
/// <remarks>
/// <para>
/// <b>Without a seed</b> (<see cref="CorrelationQuery.SeedEventId"/> is the nil UUID) the window is the
/// <c>time_window_minutes</c> of event time ending at the newest stored detection (decision 14: event time drives
/// analytics, so a replay gives the same answer as live traffic); the answer is every matching incident whose time
/// window touches it — "strength at least 0.8 in the last hour".
/// </para>
/// <para>
/// <b>With a seed</b> the window is <c>time_window_minutes</c> either side of the seed event's time. Depth 1 is the
/// incidents that hold the seed among their members; depth k + 1 the incidents that share a member with one of depth
/// k, up to <c>max_depth</c>. Only matching incidents inside the window count and link on (a weak or off-type incident
/// is not a link). A seed no stored incident holds gives an empty answer.
/// </para>
/// <para>
/// An incident matches when its strength is at least <c>min_strength</c>, one of <c>correlation_types</c> is its
/// primary type or among its types (any when empty), and one of its members comes from one of <c>include_modules</c>
/// (any when empty). The answer is ordered by depth, then strength (highest first), then detection (latest first), then
/// id, and holds at most <see cref="MaxResults"/> incidents (<see cref="CorrelationQueryResult.Truncated"/> says when
/// more matched).
/// </para>
/// </remarks>
public static class CorrelationQueryPlan
{
    /// <summary>The most incidents one answer holds.</summary>
    public const int MaxResults = 1_000;

    /// <summary>The deepest traversal a query may ask for.</summary>
    public const uint MaxDepth = 16;

    /// <summary>The widest window a query may ask for, in minutes (31 days).</summary>
    public const long MaxWindowMinutes = 31 * 24 * 60;

    /// <summary>The problems of a query, each with its code and JSON path; empty when it can run.</summary>
    public static IReadOnlyList<Problem> Validate(CorrelationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var problems = new List<Problem>();
        if (!double.IsFinite(query.MinStrength))
        {
            problems.Add(new Problem(ProblemCodes.NonFiniteNumber, "$.min_strength", "min_strength must be a finite number in [0, 1]."));
        }
        else if (query.MinStrength is < 0 or > 1)
        {
            problems.Add(new Problem(ProblemCodes.NumberOutOfRange, "$.min_strength", $"min_strength must be in [0, 1]; it is {query.MinStrength.ToString(System.Globalization.CultureInfo.InvariantCulture)}."));
        }

        if (query.TimeWindowMinutes is < 1 or > MaxWindowMinutes)
        {
            problems.Add(new Problem(ProblemCodes.NumberOutOfRange, "$.time_window_minutes", $"time_window_minutes must be between 1 and {MaxWindowMinutes} (31 days); it is {query.TimeWindowMinutes}."));
        }

        if (query.MaxDepth is < 1 or > MaxDepth)
        {
            problems.Add(new Problem(ProblemCodes.NumberOutOfRange, "$.max_depth", $"max_depth must be between 1 and {MaxDepth}; it is {query.MaxDepth}."));
        }

        for (var i = 0; i < query.CorrelationTypes.Count; i++)
        {
            if (!Enum.IsDefined(query.CorrelationTypes[i]))
            {
                problems.Add(new Problem(ProblemCodes.InvalidEnumValue, $"$.correlation_types[{i}]", $"{(int)query.CorrelationTypes[i]} is not a correlation type."));
            }
        }

        for (var i = 0; i < query.IncludeModules.Count; i++)
        {
            if (!Enum.IsDefined(query.IncludeModules[i]))
            {
                problems.Add(new Problem(ProblemCodes.InvalidEnumValue, $"$.include_modules[{i}]", $"{(int)query.IncludeModules[i]} is not a source module."));
            }
        }

        return problems;
    }

    /// <summary>Whether an incident passes the query's strength, type and module filters (the window aside).</summary>
    public static bool Matches(CorrelationQuery query, EventCorrelation correlation)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(correlation);
        if (correlation.Strength < query.MinStrength)
        {
            return false;
        }

        if (query.CorrelationTypes.Count > 0 && !HasAnyType(query.CorrelationTypes, correlation))
        {
            return false;
        }

        return query.IncludeModules.Count == 0 || HasAnyModule(query.IncludeModules, correlation);
    }

    /// <summary>Runs a query over a backend's reads: validates it, then applies the rules of the remarks above.</summary>
    public static CorrelationQueryResult Execute(CorrelationQuery query, ICorrelationLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(lookup);
        var problems = Validate(query);
        if (problems.Count > 0)
        {
            return new CorrelationQueryResult { Problems = problems };
        }

        var width = TimeSpan.FromMinutes(query.TimeWindowMinutes);
        return query.SeedEventId == Guid.Empty ? Recent(query, lookup, width) : FromSeed(query, lookup, width);
    }

    private static CorrelationQueryResult Recent(CorrelationQuery query, ICorrelationLookup lookup, TimeSpan width)
    {
        if (lookup.NewestDetection is not { } newest)
        {
            return new CorrelationQueryResult { Correlations = [] };
        }

        var window = new TimeRange(newest - width, newest);
        var matching = new List<EventCorrelation>();
        foreach (var correlation in lookup.Overlapping(window.Start, window.End))
        {
            if (Matches(query, correlation))
            {
                matching.Add(correlation);
            }
        }

        matching.Sort(Order);
        var truncated = matching.Count > MaxResults;
        if (truncated)
        {
            matching.RemoveRange(MaxResults, matching.Count - MaxResults);
        }

        return new CorrelationQueryResult { Correlations = matching, Truncated = truncated, Window = window };
    }

    private static CorrelationQueryResult FromSeed(CorrelationQuery query, ICorrelationLookup lookup, TimeSpan width)
    {
        var holders = lookup.WithMember(query.SeedEventId).ToList();
        if (holders.Count == 0)
        {
            return new CorrelationQueryResult { Correlations = [] };
        }

        var seedTime = SeedTime(holders, query.SeedEventId);
        var window = new TimeRange(seedTime - width, seedTime + width);
        var seen = new HashSet<Guid>();
        var answer = new List<EventCorrelation>();
        var frontier = new List<EventCorrelation>();
        Admit(holders, seen, frontier, query, window);
        for (var depth = 1; frontier.Count > 0; depth++)
        {
            frontier.Sort(Order);
            foreach (var correlation in frontier)
            {
                if (answer.Count == MaxResults)
                {
                    return new CorrelationQueryResult { Correlations = answer, Truncated = true, Window = window };
                }

                answer.Add(correlation);
            }

            if (depth == query.MaxDepth)
            {
                break;
            }

            var next = new List<EventCorrelation>();
            foreach (var correlation in frontier)
            {
                foreach (var member in correlation.Events)
                {
                    Admit(lookup.WithMember(member.EventId), seen, next, query, window);
                }
            }

            frontier = next;
        }

        return new CorrelationQueryResult { Correlations = answer, Window = window };
    }

    private static void Admit(IEnumerable<EventCorrelation> candidates, HashSet<Guid> seen, List<EventCorrelation> into, CorrelationQuery query, TimeRange window)
    {
        foreach (var candidate in candidates)
        {
            if (seen.Add(candidate.CorrelationId) && Touches(candidate, window) && Matches(query, candidate))
            {
                into.Add(candidate);
            }
        }
    }

    private static DateTimeOffset SeedTime(List<EventCorrelation> holders, Guid seed)
    {
        // Every holder names the same event; the earliest recorded time is taken should producers disagree.
        var earliest = DateTimeOffset.MaxValue;
        foreach (var holder in holders)
        {
            foreach (var member in holder.Events)
            {
                if (member.EventId == seed && member.Timestamp < earliest)
                {
                    earliest = member.Timestamp;
                }
            }
        }

        return earliest;
    }

    private static bool Touches(EventCorrelation correlation, TimeRange window) =>
        correlation.TimeWindow.Start <= window.End && correlation.TimeWindow.End >= window.Start;

    private static int Order(EventCorrelation a, EventCorrelation b)
    {
        var byStrength = b.Strength.CompareTo(a.Strength);
        if (byStrength != 0)
        {
            return byStrength;
        }

        var byDetection = b.DetectedAt.CompareTo(a.DetectedAt);
        return byDetection != 0 ? byDetection : a.CorrelationId.CompareTo(b.CorrelationId);
    }

    private static bool HasAnyType(IReadOnlyList<CorrelationType> wanted, EventCorrelation correlation)
    {
        foreach (var type in wanted)
        {
            if (correlation.CorrelationType == type || correlation.CorrelationTypes.Contains(type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAnyModule(IReadOnlyList<SourceModule> wanted, EventCorrelation correlation)
    {
        foreach (var member in correlation.Events)
        {
            if (wanted.Contains(member.SourceModule))
            {
                return true;
            }
        }

        return false;
    }
}
