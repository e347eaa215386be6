using AnalyticsHub.Events;

namespace AnalyticsHub.Api;

/// <summary>An error as the API reports it: a stable code, a message, the HTTP status, and optional detail.</summary>
/// <remarks>
/// The factory methods take an optional <see cref="TimeProvider"/> for <see cref="Timestamp"/>
/// (<see cref="TimeProvider.System"/> when absent), so tests can pin it.
/// </remarks>
public sealed record ApiError
{
    /// <summary>A stable snake_case code from <see cref="ProblemCodes"/>.</summary>
    public required string Code { get; init; }

    /// <summary>A sentence for people.</summary>
    public required string Message { get; init; }

    /// <summary>The HTTP status that goes with <see cref="Code"/>.</summary>
    public required ushort StatusCode { get; init; }

    /// <summary>Optional detail; left out of the JSON when absent.</summary>
    public ErrorDetails? Details { get; init; }

    /// <summary>For <c>validation_error</c>: the messages per offending field, keyed by its path (e.g. <c>per_page</c>); left out when absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? FieldErrors { get; init; }

    /// <summary>When the error was made (clock time).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Makes an error with any code and status.</summary>
    /// <param name="code">The code, e.g. one of <see cref="ProblemCodes"/>.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError Create(string code, ushort statusCode, string message, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(message);
        return new ApiError
        {
            Code = code,
            Message = message,
            StatusCode = statusCode,
            Timestamp = (timeProvider ?? TimeProvider.System).GetUtcNow(),
        };
    }

    /// <summary><c>bad_request</c> (400).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError BadRequest(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.BadRequest, 400, message, timeProvider);

    /// <summary><c>validation_error</c> (400) without field errors; add them with <see cref="WithFieldErrors"/>.</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError ValidationError(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.ValidationError, 400, message, timeProvider);

    /// <summary>A bad request with code <c>invalid_cursor</c> (400).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError InvalidCursor(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.InvalidCursor, 400, message, timeProvider);

    /// <summary><c>unauthorized</c> (401).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError Unauthorized(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.Unauthorized, 401, message, timeProvider);

    /// <summary><c>forbidden</c> (403).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError Forbidden(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.Forbidden, 403, message, timeProvider);

    /// <summary><c>not_found</c> (404).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError NotFound(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.NotFound, 404, message, timeProvider);

    /// <summary><c>conflict</c> (409).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError Conflict(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.Conflict, 409, message, timeProvider);

    /// <summary><c>payload_too_large</c> (413).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError PayloadTooLarge(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.PayloadTooLarge, 413, message, timeProvider);

    /// <summary><c>rate_limited</c> (429).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError RateLimited(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.RateLimited, 429, message, timeProvider);

    /// <summary><c>internal_error</c> (500).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError InternalError(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.InternalError, 500, message, timeProvider);

    /// <summary><c>service_unavailable</c> (503).</summary>
    /// <param name="message">A sentence for people.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    public static ApiError ServiceUnavailable(string message, TimeProvider? timeProvider = null) => Create(ProblemCodes.ServiceUnavailable, 503, message, timeProvider);

    /// <summary>
    /// A <c>validation_error</c> whose <see cref="FieldErrors"/> hold the messages of <paramref name="problems"/>
    /// keyed by their paths, in the order given.
    /// </summary>
    /// <param name="problems">Validation problems; when any is an error, only the errors are listed.</param>
    /// <param name="message">The summary sentence; a count of problems when null.</param>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; the system clock when null.</param>
    /// <remarks>A lone <c>invalid_cursor</c> problem (a query's cursor) becomes that <c>bad_request</c> (400) with its message.</remarks>
    public static ApiError FromProblems(IReadOnlyList<Problem> problems, string? message = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 1 && problems[0].Code == ProblemCodes.InvalidCursor)
        {
            return InvalidCursor(problems[0].Message, timeProvider);
        }

        var anyError = false;
        for (var i = 0; i < problems.Count; i++)
        {
            anyError |= problems[i].IsError;
        }

        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var count = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var problem = problems[i];
            if (anyError && !problem.IsError)
            {
                continue;
            }

            count++;
            if (fields.TryGetValue(problem.Path, out var list))
            {
                ((List<string>)list).Add(problem.Message);
            }
            else
            {
                fields.Add(problem.Path, new List<string> { problem.Message });
            }
        }

        message ??= count == 1
            ? "1 field is invalid."
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count} fields are invalid.");
        return ValidationError(message, timeProvider) with { FieldErrors = fields };
    }

    /// <summary>
    /// <c>stream_gap</c> (429): a slow subscriber's buffer overflowed; the details name the sequences missed and how to
    /// resume.
    /// </summary>
    /// <param name="from">The first sequence not delivered.</param>
    /// <param name="to">The last sequence not delivered.</param>
    /// <param name="missed">How many matching events were missed; negative when unknown (left out).</param>
    /// <param name="timestamp">When the gap was found.</param>
    public static ApiError StreamGap(ulong from, ulong to, long missed, DateTimeOffset timestamp)
    {
        var context = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal)
        {
            ["missed_from_sequence"] = System.Text.Json.JsonSerializer.SerializeToElement(from, ApiJsonContext.Default.UInt64),
            ["missed_to_sequence"] = System.Text.Json.JsonSerializer.SerializeToElement(to, ApiJsonContext.Default.UInt64),
        };
        if (missed >= 0)
        {
            context["missed_events"] = System.Text.Json.JsonSerializer.SerializeToElement(missed, ApiJsonContext.Default.Int64);
        }

        var resumeAfter = (from - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ApiError
        {
            Code = ProblemCodes.StreamGap,
            StatusCode = 429,
            Message = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The subscriber fell behind: matching events with sequences {from}..{to} were not delivered."),
            Timestamp = timestamp,
            Details = new ErrorDetails
            {
                Context = context,
                Suggestions = [$"Resubscribe with resume_after_sequence={resumeAfter} to replay what the store still holds, or query the range."],
            },
        };
    }

    /// <summary>A copy with <paramref name="details"/>.</summary>
    /// <param name="details">The detail to attach.</param>
    public ApiError WithDetails(ErrorDetails details) => this with { Details = details };

    /// <summary>A copy with <paramref name="fieldErrors"/>.</summary>
    /// <param name="fieldErrors">Messages per field path.</param>
    public ApiError WithFieldErrors(IReadOnlyDictionary<string, IReadOnlyList<string>> fieldErrors) => this with { FieldErrors = fieldErrors };
}
