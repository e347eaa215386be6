namespace AnalyticsHub.TimeSeries;

/// <summary>A problem with a query or a write: a stable snake_case code, the JSON path of the offending value and a message.</summary>
/// <param name="Code">One of <see cref="TimeSeriesErrorCodes"/>.</param>
/// <param name="Path">The JSON path, e.g. <c>aggregations[0].function</c> or <c>points[3].tags.model_id</c>.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record TimeSeriesError(string Code, string Path, string Message);
