using AnalyticsHub.Events;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// A validated <see cref="ContinuousQuery"/> in the form every backend maintains it: which source points it reads
/// (<see cref="Matches{TTags}"/>), the destination series of a point (<see cref="GroupTags{TTags}"/>), the bucket a
/// point goes to (<see cref="BucketStart"/>) and which of its fields (<see cref="RollsField"/>).
/// </summary>
/// <remarks>
/// A backend registers the plan, rolls the source's stored points inside <see cref="Query"/>'s time range into the
/// destination (backfill), and every point written afterwards as it arrives: per destination series (the group-by
/// tags the point has), bucket and field, one <see cref="RollupCell"/>.
/// </remarks>
public sealed class ContinuousQueryPlan
{
    // A continuous query's range and window only bound its backfill and bucket width: no bucket-count limit applies.
    private static readonly TimeSeriesQueryLimits Limits = TimeSeriesQueryLimits.Default with { MaxBuckets = int.MaxValue, MaxCells = int.MaxValue };

    private ContinuousQueryPlan(ContinuousQuery definition, TimeSeriesQueryPlan query, string[]? fields)
    {
        Definition = definition;
        Query = query;
        Fields = fields;
    }

    /// <summary>The registered definition.</summary>
    public ContinuousQuery Definition { get; }

    /// <summary>The plan of the source query: filters, conditions, group-by, window and the backfill range.</summary>
    public TimeSeriesQueryPlan Query { get; }

    /// <summary>The fields rolled up, or null for every numeric field.</summary>
    public string[]? Fields { get; }

    /// <summary>The destination buckets' width (UTC ticks), a valid rollup resolution.</summary>
    public long WindowTicks => Query.BucketTicks;

    /// <summary>Whether a source series passes the query's tag filters and conditions.</summary>
    /// <param name="tags">The series' tags, in any container.</param>
    /// <param name="get">Reads one tag's value, null when absent.</param>
    /// <typeparam name="TTags">The tag container.</typeparam>
    /// <returns>Whether its points are rolled up.</returns>
    public bool Matches<TTags>(TTags tags, Func<TTags, string, string?> get) => Query.MatchesTags(tags, get);

    /// <summary>The destination series' tags: the group-by tags the source series has.</summary>
    /// <param name="tags">The source series' tags.</param>
    /// <param name="get">Reads one tag's value, null when absent.</param>
    /// <typeparam name="TTags">The tag container.</typeparam>
    /// <returns>The destination tags.</returns>
    public Dictionary<string, string> GroupTags<TTags>(TTags tags, Func<TTags, string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var group = new Dictionary<string, string>(Query.GroupBy.Length, StringComparer.Ordinal);
        foreach (var key in Query.GroupBy)
        {
            if (get(tags, key) is { } value)
            {
                group[key] = value;
            }
        }

        return group;
    }

    /// <summary>The start of the destination bucket holding an instant (aligned to the Unix epoch).</summary>
    /// <param name="ticks">The instant (UTC ticks).</param>
    /// <returns>The bucket start (UTC ticks).</returns>
    public long BucketStart(long ticks) => RetentionPlan.Floor(ticks, WindowTicks);

    /// <summary>Whether a field value of a matching point is rolled up, and as which number.</summary>
    /// <param name="field">The field name.</param>
    /// <param name="value">The value.</param>
    /// <param name="number">The number rolled up.</param>
    /// <returns>False for strings, booleans, non-numeric values and fields the query does not name.</returns>
    public bool RollsField(string field, FieldValue value, out double number)
    {
        number = 0;
        return value.Kind is not (FieldValueKind.String or FieldValueKind.Boolean) && value.TryGetDouble(out number)
            && (Fields is null || Array.IndexOf(Fields, field) >= 0);
    }

    /// <summary>The problem of registering a query whose id is taken.</summary>
    /// <param name="queryId">The id.</param>
    /// <returns>The <c>continuous_query_exists</c> problem.</returns>
    public static Problem AlreadyRegistered(string queryId) =>
        new(ProblemCodes.ContinuousQueryExists, "query_id", $"A continuous query '{queryId}' is already registered; remove it first.");

    /// <summary>Validates a continuous query and compiles it; every problem is reported with its code and JSON path.</summary>
    /// <param name="query">The definition.</param>
    /// <param name="plan">The plan, when valid.</param>
    /// <param name="errors">The problems; empty when valid.</param>
    /// <returns>Whether the query is valid.</returns>
    public static bool TryCreate(ContinuousQuery query, out ContinuousQueryPlan? plan, out List<Problem> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        errors = [];
        plan = null;
        if (string.IsNullOrEmpty(query.QueryId))
        {
            errors.Add(new(ProblemCodes.InvalidContinuousQuery, "query_id", "The query id is required."));
        }

        if (string.IsNullOrEmpty(query.SourceMeasurement) || string.IsNullOrEmpty(query.DestinationMeasurement))
        {
            errors.Add(new(ProblemCodes.MeasurementRequired, string.IsNullOrEmpty(query.SourceMeasurement) ? "source_measurement" : "destination_measurement", "Source and destination measurements are required."));
        }
        else if (string.Equals(query.SourceMeasurement, query.DestinationMeasurement, StringComparison.Ordinal))
        {
            errors.Add(new(ProblemCodes.InvalidContinuousQuery, "destination_measurement", "The destination must differ from the source."));
        }

        if (!TimeBucketWindow.TryParse(query.Interval, out _, out var intervalError))
        {
            errors.Add(new(ProblemCodes.InvalidWindow, "interval", intervalError!));
        }

        if (query.Query is null)
        {
            errors.Add(new(ProblemCodes.InvalidContinuousQuery, "query", "The query is required."));
            return false;
        }

        if (!string.Equals(query.Query.Measurement, query.SourceMeasurement, StringComparison.Ordinal))
        {
            errors.Add(new(ProblemCodes.MeasurementMismatch, "query.measurement", $"The query reads '{query.Query.Measurement}' but the source is '{query.SourceMeasurement}'."));
        }

        if (!TimeSeriesQueryPlan.TryCreate(query.Query, Limits, out var source, out var planErrors))
        {
            foreach (var error in planErrors)
            {
                errors.Add(error with { Path = "query." + error.Path.TrimStart('$', '.') });
            }

            return false;
        }

        if (source!.Window is not { } window || !RollupBucket.IsValidResolution(window.Width))
        {
            errors.Add(new(ProblemCodes.InvalidContinuousQuery, "query.aggregations",
                "A continuous query needs aggregations with a window of whole minutes dividing a day (or 1d), aligned to the Unix epoch."));
        }

        if (errors.Count > 0)
        {
            return false;
        }

        // A term without fields stands for the query's default fields: select_fields, or every numeric field (null).
        var everyField = source.SelectFields.Length == 0 && Array.Exists(source.Terms, t => t.Fields is null);
        string[]? fields = everyField ? null : [.. source.Terms.SelectMany(t => t.Fields ?? source.SelectFields).Distinct(StringComparer.Ordinal)];
        plan = new ContinuousQueryPlan(query, source, fields);
        return true;
    }
}
