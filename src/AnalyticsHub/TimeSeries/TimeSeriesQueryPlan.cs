using System.Globalization;
using System.Text.RegularExpressions;
using AnalyticsHub.Events;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// A validated <see cref="TimeSeriesQuery"/> in the form an engine executes: ticks instead of instants, one list of
/// aggregation terms, compiled tag conditions, the bucket grid. Built once per query by <see cref="TryCreate"/>.
/// </summary>
/// <remarks>
/// Every backend plans with this type, so validation, limits and the bucket grid are the same everywhere; a backend
/// then scans and feeds an <see cref="AggregationGrid"/> (aggregations) or a <see cref="RawResultBuilder"/> (raw
/// points), which produce the <see cref="TimeSeriesQueryOutcome"/>.
/// </remarks>
public sealed class TimeSeriesQueryPlan
{
    private TimeSeriesQueryPlan()
    {
    }

    /// <summary>The measurement read.</summary>
    public required string Measurement { get; init; }

    /// <summary>The range start (UTC ticks, inclusive).</summary>
    public required long StartTicks { get; init; }

    /// <summary>The range end (UTC ticks, exclusive).</summary>
    public required long EndTicks { get; init; }

    /// <summary>Equality filters from tag_filters and eq conditions.</summary>
    public required KeyValuePair<string, string>[] EqualityFilters { get; init; }

    /// <summary>ne, in and regex conditions.</summary>
    public required CompiledTagCondition[] Conditions { get; init; }

    /// <summary>The fields asked for; empty for every field.</summary>
    public required string[] SelectFields { get; init; }

    /// <summary>The aggregation terms; empty for a raw query.</summary>
    public required AggregationTerm[] Terms { get; init; }

    /// <summary>Whether the query aggregates (otherwise it returns raw points).</summary>
    public bool IsAggregated => Terms.Length > 0;

    /// <summary>The bucket window, or null for one bucket over the whole range.</summary>
    public required TimeBucketWindow? Window { get; init; }

    /// <summary>The start of the first bucket (UTC ticks).</summary>
    public required long FirstBucketStart { get; init; }

    /// <summary>The bucket width in ticks (the whole range when there is no window).</summary>
    public required long BucketTicks { get; init; }

    /// <summary>The number of buckets in the range.</summary>
    public required int BucketCount { get; init; }

    /// <summary>The group-by tag keys.</summary>
    public required string[] GroupBy { get; init; }

    /// <summary>How empty buckets are filled; null leaves them out.</summary>
    public required FillStrategy? Fill { get; init; }

    /// <summary>At most this many points per series.</summary>
    public required ulong Limit { get; init; }

    /// <summary>Points skipped at the start of each series.</summary>
    public required ulong Offset { get; init; }

    /// <summary>Whether percentiles come from sketches (<see cref="PercentileMode.Sketch"/>) rather than exact selection.</summary>
    public required bool UseSketch { get; init; }

    /// <summary>The limits the query was validated against (result points, groups, cells).</summary>
    public required TimeSeriesQueryLimits Limits { get; init; }

    /// <summary>Whether a series' tags pass the equality filters and the conditions (for engines that match outside the index).</summary>
    /// <param name="tags">The tags, in any container.</param>
    /// <param name="get">Reads one tag's value, null when absent (a static lambda, so nothing is allocated).</param>
    /// <typeparam name="TTags">The tag container.</typeparam>
    /// <returns>Whether the series is selected.</returns>
    public bool MatchesTags<TTags>(TTags tags, Func<TTags, string, string?> get)
    {
        foreach (var (key, value) in EqualityFilters)
        {
            if (!string.Equals(get(tags, key), value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var condition in Conditions)
        {
            if (!condition.Matches(get(tags, condition.Tag)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Validates a query and builds its plan; every problem is reported with its code and JSON path.</summary>
    /// <param name="query">The query.</param>
    /// <param name="limits">The backend's limits.</param>
    /// <param name="plan">The plan, when valid.</param>
    /// <param name="errors">The problems; empty when valid.</param>
    /// <returns>Whether the query is valid.</returns>
    public static bool TryCreate(TimeSeriesQuery? query, TimeSeriesQueryLimits limits, out TimeSeriesQueryPlan? plan, out List<Problem> errors)
    {
        errors = [];
        plan = null;
        if (query is null)
        {
            errors.Add(new(ProblemCodes.MeasurementRequired, "$", "A query is required."));
            return false;
        }

        if (string.IsNullOrEmpty(query.Measurement))
        {
            errors.Add(new(ProblemCodes.MeasurementRequired, "measurement", "The measurement is required."));
        }

        if (!query.TimeRange.IsValid)
        {
            errors.Add(new(ProblemCodes.InvalidTimeRange, "time_range", "time_range.end must be after time_range.start."));
        }

        var equalities = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in query.TagFilters ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty)
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                errors.Add(new(ProblemCodes.InvalidName, "tag_filters", "Tag filter keys must be non-empty and values non-null."));
                continue;
            }

            equalities.Add(new(key, value));
        }

        var conditions = new List<CompiledTagCondition>();
        var tagConditions = query.TagConditions ?? [];
        if (tagConditions.Count > limits.MaxTerms)
        {
            errors.Add(new(ProblemCodes.TooComplex, "tag_conditions", $"At most {limits.MaxTerms} tag conditions."));
        }
        else
        {
            for (var i = 0; i < tagConditions.Count; i++)
            {
                CompileCondition(tagConditions[i], $"tag_conditions[{i.ToString(CultureInfo.InvariantCulture)}]", limits, equalities, conditions, errors);
            }
        }

        var selectFields = CheckNames(query.SelectFields, "select_fields", limits, errors);
        var groupBy = CheckNames(query.GroupBy, "group_by", limits, errors);

        var aggregations = query.Aggregations;
        var prefix = "aggregations";
        if (query.Aggregation is not null)
        {
            if (aggregations is not null)
            {
                errors.Add(new(ProblemCodes.ConflictingAggregations, "aggregations", "Give either 'aggregation' or 'aggregations', not both."));
            }

            aggregations = [query.Aggregation];
            prefix = "aggregation";
        }

        aggregations ??= [];
        var terms = new List<AggregationTerm>();
        string? windowText = null;
        TimeBucketWindow? window = null;
        if (aggregations.Count > limits.MaxTerms)
        {
            errors.Add(new(ProblemCodes.TooComplex, prefix, $"At most {limits.MaxTerms} aggregations."));
        }
        else
        {
            for (var i = 0; i < aggregations.Count; i++)
            {
                var path = prefix == "aggregation" ? prefix : $"{prefix}[{i.ToString(CultureInfo.InvariantCulture)}]";
                var aggregation = aggregations[i];
                if (aggregation is null)
                {
                    errors.Add(new(ProblemCodes.InvalidName, path, "An aggregation is required here."));
                    continue;
                }

                if (aggregation.Function.Kind == AggregationFunctionKind.Percentile && aggregation.Function.Percentile > 100)
                {
                    errors.Add(new(ProblemCodes.InvalidPercentile, path + ".function", $"Percentile {aggregation.Function.Percentile.ToString(CultureInfo.InvariantCulture)} is outside 0..100."));
                }

                if (!string.IsNullOrEmpty(aggregation.Window))
                {
                    if (!TimeBucketWindow.TryParse(aggregation.Window, out var parsed, out var windowError))
                    {
                        errors.Add(new(ProblemCodes.InvalidWindow, path + ".window", windowError!));
                    }
                    else if (windowText is null)
                    {
                        windowText = aggregation.Window;
                        window = parsed;
                    }
                    else if (parsed != window)
                    {
                        errors.Add(new(ProblemCodes.ConflictingWindows, path + ".window", $"Window '{aggregation.Window}' differs from '{windowText}'; all aggregations of a query share one window."));
                    }
                }

                var fields = CheckNames(aggregation.Fields, path + ".fields", limits, errors);
                terms.Add(new AggregationTerm(aggregation.Function, fields.Length == 0 ? null : fields));
            }
        }

        if (query.Fill is not null && window is null)
        {
            errors.Add(new(ProblemCodes.FillRequiresWindow, "fill", "A fill strategy needs aggregations with a window."));
        }

        long firstBucket = 0, bucketTicks = 0;
        var bucketCount = 0;
        if (errors.Count == 0)
        {
            var start = query.TimeRange.Start.UtcTicks;
            var end = query.TimeRange.End.UtcTicks;
            if (window is { } w)
            {
                firstBucket = w.BucketStart(start);
                var buckets = ((end - 1 - firstBucket) / w.Ticks) + 1;
                if (buckets > limits.MaxBuckets)
                {
                    errors.Add(new(ProblemCodes.TooManyBuckets, WindowPath(aggregations, prefix), $"The range holds {buckets.ToString(CultureInfo.InvariantCulture)} buckets of this window; at most {limits.MaxBuckets.ToString(CultureInfo.InvariantCulture)}."));
                }

                bucketTicks = w.Ticks;
                bucketCount = (int)Math.Min(buckets, int.MaxValue);
            }
            else
            {
                firstBucket = start;
                bucketTicks = end - start;
                bucketCount = 1;
            }
        }

        if (errors.Count > 0)
        {
            return false;
        }

        plan = new TimeSeriesQueryPlan
        {
            Measurement = query.Measurement,
            StartTicks = query.TimeRange.Start.UtcTicks,
            EndTicks = query.TimeRange.End.UtcTicks,
            EqualityFilters = [.. equalities],
            Conditions = [.. conditions],
            SelectFields = selectFields,
            Terms = [.. terms],
            Window = window,
            FirstBucketStart = firstBucket,
            BucketTicks = bucketTicks,
            BucketCount = bucketCount,
            GroupBy = groupBy,
            Fill = query.Fill,
            Limit = query.Limit ?? ulong.MaxValue,
            Offset = query.Offset ?? 0,
            UseSketch = query.PercentileMode == PercentileMode.Sketch,
            Limits = limits,
        };
        return true;
    }

    private static string WindowPath(IReadOnlyList<Aggregation> aggregations, string prefix)
    {
        if (prefix == "aggregation")
        {
            return "aggregation.window";
        }

        for (var i = 0; i < aggregations.Count; i++)
        {
            if (!string.IsNullOrEmpty(aggregations[i].Window))
            {
                return $"aggregations[{i.ToString(CultureInfo.InvariantCulture)}].window";
            }
        }

        return "aggregations";
    }

    private static string[] CheckNames(IReadOnlyList<string>? names, string path, TimeSeriesQueryLimits limits, List<Problem> errors)
    {
        if (names is null || names.Count == 0)
        {
            return [];
        }

        if (names.Count > limits.MaxTerms)
        {
            errors.Add(new(ProblemCodes.TooComplex, path, $"At most {limits.MaxTerms} names."));
            return [];
        }

        var result = new List<string>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (string.IsNullOrEmpty(name) || result.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new(ProblemCodes.InvalidName, $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", string.IsNullOrEmpty(name) ? "Names must not be empty." : $"'{name}' is repeated."));
                continue;
            }

            result.Add(name);
        }

        return [.. result];
    }

    private static void CompileCondition(
        TagCondition? condition, string path, TimeSeriesQueryLimits limits,
        List<KeyValuePair<string, string>> equalities, List<CompiledTagCondition> conditions, List<Problem> errors)
    {
        if (condition is null)
        {
            errors.Add(new(ProblemCodes.InvalidTagCondition, path, "A tag condition is required here."));
            return;
        }

        if (string.IsNullOrEmpty(condition.Tag))
        {
            errors.Add(new(ProblemCodes.InvalidName, path + ".tag", "The tag key must not be empty."));
            return;
        }

        var values = condition.Values ?? [];
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                errors.Add(new(ProblemCodes.InvalidTagCondition, $"{path}.values[{i.ToString(CultureInfo.InvariantCulture)}]", "Values must not be null."));
                return;
            }
        }

        var single = condition.Op is TagConditionOperator.Eq or TagConditionOperator.Ne or TagConditionOperator.Regex;
        if (single ? values.Count != 1 : values.Count == 0 || values.Count > limits.MaxTerms)
        {
            errors.Add(new(ProblemCodes.InvalidTagCondition, path + ".values", single
                ? $"'{condition.Op.ToString().ToLowerInvariant()}' takes exactly one value."
                : $"'in' takes 1 to {limits.MaxTerms.ToString(CultureInfo.InvariantCulture)} values."));
            return;
        }

        switch (condition.Op)
        {
            case TagConditionOperator.Eq:
                equalities.Add(new(condition.Tag, values[0]));
                break;
            case TagConditionOperator.Ne:
                conditions.Add(new CompiledTagCondition(condition.Tag, TagConditionOperator.Ne, values[0], null, null));
                break;
            case TagConditionOperator.In:
                conditions.Add(new CompiledTagCondition(condition.Tag, TagConditionOperator.In, null, new HashSet<string>(values, StringComparer.Ordinal), null));
                break;
            case TagConditionOperator.Regex:
                try
                {
                    var regex = new Regex(values[0], RegexOptions.CultureInvariant, limits.RegexTimeout);
                    conditions.Add(new CompiledTagCondition(condition.Tag, TagConditionOperator.Regex, null, null, regex));
                }
                catch (ArgumentException exception)
                {
                    errors.Add(new(ProblemCodes.InvalidRegex, path + ".values[0]", "Invalid regular expression: " + exception.Message));
                }

                break;
            default:
                errors.Add(new(ProblemCodes.InvalidTagCondition, path + ".op", "Unknown operator; expected eq, ne, in or regex."));
                break;
        }
    }
}

/// <summary>One aggregation function over explicit fields, or over the default fields when <paramref name="Fields"/> is null.</summary>
/// <param name="Function">The function.</param>
/// <param name="Fields">The fields, or null for the query's default fields.</param>
public sealed record AggregationTerm(AggregationFunction Function, string[]? Fields);

/// <summary>A compiled ne/in/regex tag condition.</summary>
/// <param name="Tag">The tag key.</param>
/// <param name="Op">The operator.</param>
/// <param name="Value">The value of <c>ne</c>.</param>
/// <param name="Values">The values of <c>in</c>.</param>
/// <param name="Regex">The expression of <c>regex</c>, with the limits' timeout.</param>
public sealed record CompiledTagCondition(string Tag, TagConditionOperator Op, string? Value, HashSet<string>? Values, Regex? Regex)
{
    /// <summary>Whether a tag value (null when the series lacks the tag) satisfies the condition.</summary>
    /// <param name="value">The series' value of <see cref="Tag"/>, or null.</param>
    /// <returns>Whether it matches.</returns>
    public bool Matches(string? value) => Op switch
    {
        TagConditionOperator.Ne => !string.Equals(value, Value, StringComparison.Ordinal),
        TagConditionOperator.In => value is not null && Values!.Contains(value),
        _ => value is not null && MatchesRegex(value),
    };

    /// <summary>Whether a regex match timed out (the value then counts as not matching and the query warns).</summary>
    public bool TimedOut { get; private set; }

    private bool MatchesRegex(string value)
    {
        try
        {
            return Regex!.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            TimedOut = true;
            return false;
        }
    }
}
