namespace AnalyticsHub.Storage;

/// <summary>
/// Problem codes of query validation that the event catalogue (<see cref="Events.ProblemCodes"/>) has no word for.
/// Queries also use <see cref="Events.ProblemCodes.NumberOutOfRange"/>, <see cref="Events.ProblemCodes.EmptyValue"/> and
/// <see cref="Events.ProblemCodes.InvalidEnumValue"/>.
/// </summary>
public static class QueryProblemCodes
{
    /// <summary>The time range is empty: <c>to</c> is not later than <c>from</c>.</summary>
    public const string InvalidTimeRange = "invalid_time_range";

    /// <summary>A cursor was given together with a page other than 1; a cursor replaces the page.</summary>
    public const string CursorWithPage = "cursor_with_page";
}
