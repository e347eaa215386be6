namespace AnalyticsHub.Api;

/// <summary>The error codes of <see cref="ApiError"/> (spec decision 20, plus the cursor and stream codes of decisions 21 and 22).</summary>
public static class ApiErrorCodes
{
    /// <summary><c>bad_request</c> (400): the request cannot be understood.</summary>
    public const string BadRequest = "bad_request";

    /// <summary><c>validation_error</c> (400): arguments are wrong; <c>field_errors</c> says which, keyed by path.</summary>
    public const string ValidationError = "validation_error";

    /// <summary><c>invalid_cursor</c> (400): a paging cursor is malformed, of another version, or made by another query.</summary>
    public const string InvalidCursor = "invalid_cursor";

    /// <summary><c>unauthorized</c> (401): no valid credentials.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary><c>forbidden</c> (403): the credentials do not allow this.</summary>
    public const string Forbidden = "forbidden";

    /// <summary><c>not_found</c> (404): no such resource.</summary>
    public const string NotFound = "not_found";

    /// <summary><c>conflict</c> (409): the request conflicts with the current state.</summary>
    public const string Conflict = "conflict";

    /// <summary><c>duplicate_event</c> (409): an event with this id is already stored.</summary>
    public const string DuplicateEvent = "duplicate_event";

    /// <summary><c>payload_too_large</c> (413): the request body exceeds a limit.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary><c>rate_limited</c> (429): too many requests.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary><c>stream_gap</c> (429): a slow subscriber's buffer overflowed; the details name the missed sequences.</summary>
    public const string StreamGap = "stream_gap";

    /// <summary><c>internal_error</c> (500): a bug or an unexpected failure.</summary>
    public const string InternalError = "internal_error";

    /// <summary><c>service_unavailable</c> (503): try again later.</summary>
    public const string ServiceUnavailable = "service_unavailable";
}
