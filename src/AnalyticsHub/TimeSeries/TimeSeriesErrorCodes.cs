namespace AnalyticsHub.TimeSeries;

/// <summary>The catalogue of time-series error codes (queries and writes).</summary>
public static class TimeSeriesErrorCodes
{
    /// <summary>The measurement is missing or empty.</summary>
    public const string MeasurementRequired = "measurement_required";

    /// <summary>A point's measurement differs from its batch's.</summary>
    public const string MeasurementMismatch = "measurement_mismatch";

    /// <summary>The time range is empty or reversed (end must be after start).</summary>
    public const string InvalidTimeRange = "invalid_time_range";

    /// <summary>A window string cannot be parsed or is out of bounds.</summary>
    public const string InvalidWindow = "invalid_window";

    /// <summary>Aggregations name different windows.</summary>
    public const string ConflictingWindows = "conflicting_windows";

    /// <summary>Both <c>aggregation</c> and <c>aggregations</c> are given.</summary>
    public const string ConflictingAggregations = "conflicting_aggregations";

    /// <summary>A percentile outside 0..100.</summary>
    public const string InvalidPercentile = "invalid_percentile";

    /// <summary>A field or tag name is empty, or a tag key is repeated.</summary>
    public const string InvalidName = "invalid_name";

    /// <summary>A tag condition has the wrong number of values.</summary>
    public const string InvalidTagCondition = "invalid_tag_condition";

    /// <summary>A regular expression does not parse.</summary>
    public const string InvalidRegex = "invalid_regex";

    /// <summary>A fill strategy without aggregation by time window.</summary>
    public const string FillRequiresWindow = "fill_requires_window";

    /// <summary>The query would produce more time buckets than the limit.</summary>
    public const string TooManyBuckets = "too_many_buckets";

    /// <summary>The query would produce more groups than the limit.</summary>
    public const string TooManyGroups = "too_many_groups";

    /// <summary>Too many aggregations, conditions or fields in one query.</summary>
    public const string TooComplex = "too_complex";

    /// <summary>A point has no fields.</summary>
    public const string FieldsRequired = "fields_required";

    /// <summary>A custom tag repeats a known tag's key, or a tag key or value is empty or too long.</summary>
    public const string InvalidTag = "invalid_tag";

    /// <summary>Writing would exceed the distinct values allowed for a tag key of a measurement.</summary>
    public const string TagCardinalityExceeded = "tag_cardinality_exceeded";

    /// <summary>Writing would exceed the series allowed for a measurement.</summary>
    public const string SeriesLimitExceeded = "series_limit_exceeded";

    /// <summary>A rollup resolution is not whole minutes dividing a day, or a bucket start is not aligned to it.</summary>
    public const string InvalidResolution = "invalid_resolution";

    /// <summary>A rollup bucket is malformed (missing sketch, or statistics and sketch disagree on the count).</summary>
    public const string InvalidRollup = "invalid_rollup";

    /// <summary>A retention policy is malformed (see the message).</summary>
    public const string InvalidRetentionPolicy = "invalid_retention_policy";

    /// <summary>A continuous query with this id is already registered.</summary>
    public const string ContinuousQueryExists = "continuous_query_exists";

    /// <summary>A continuous query is malformed (source/destination, window, fields).</summary>
    public const string InvalidContinuousQuery = "invalid_continuous_query";
}
