using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NoContent = AnalyticsHub.Api.NoContent;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.AspNetCore;

/// <summary><c>POST /events</c>: one event, a JSON array or NDJSON, streamed from the body into the hub.</summary>
internal static class IngestEndpoints
{
    public static void Map(RouteGroupBuilder ingest) =>
        ingest.MapPost("/events", IngestAsync)
            .WithOperationId("IngestEvents")
            .WithSummary("Ingests one event, a JSON array of events or NDJSON (one event per line), read as it arrives.")
            .Accepts<AnalyticsEvent>("application/json", "application/x-ndjson")
            .ProducesIngestAnswers();

    /// <summary>The answers of an ingest endpoint (<c>/events</c>, <c>/metrics</c>): a batch response per status it can give.</summary>
    internal static RouteHandlerBuilder ProducesIngestAnswers(this RouteHandlerBuilder builder) =>
        builder
            .Produces<ApiResponse<BatchResponse<NoContent>>>(StatusCodes.Status200OK)
            .Produces<ApiResponse<BatchResponse<NoContent>>>(StatusCodes.Status202Accepted)
            .Produces<ApiResponse<BatchResponse<NoContent>>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<BatchResponse<NoContent>>>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ApiResponse<BatchResponse<NoContent>>>(StatusCodes.Status429TooManyRequests)
            .Produces<ApiResponse<BatchResponse<NoContent>>>(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> IngestAsync(HttpContext context, IAnalyticsHub hub, IOptions<AnalyticsHubHttpOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        if (OpenBody(context, hub, settings, clock, out var body) is { } refused)
        {
            return refused;
        }

        IngestResult result;
        try
        {
            result = await hub.IngestAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (!hub.IsRunning)
        {
            return ApiResults.Unavailable(context, "The analytics hub is not running (not started yet, or stopping).", settings.RetryAfter, clock);
        }

        return await RespondAsync(context, hub, settings, clock, result.Items, () => result.Completion, body.Exceeded, result.ItemLimitReached, "events").ConfigureAwait(false);
    }

    /// <summary>
    /// The checks before an ingest body is read (the hub runs, the declared length is within the limit), and the body read
    /// through our own limit, which stops at the limit and still answers for what came before it (the server's limit would
    /// fail the read instead, and lose the per-item results). Returns the refusal, or null and the body.
    /// </summary>
    internal static IResult? OpenBody(HttpContext context, IAnalyticsHub hub, AnalyticsHubHttpOptions settings, TimeProvider clock, out BodyLimitStream body)
    {
        body = null!;
        if (!hub.IsRunning)
        {
            return ApiResults.Unavailable(context, "The analytics hub is not running (not started yet, or stopping).", settings.RetryAfter, clock);
        }

        if (context.Request.ContentLength is { } length && length > settings.MaxRequestBodySize)
        {
            return ApiResults.Error(
                ApiError.PayloadTooLarge(Invariant($"The body has {length} bytes; at most {settings.MaxRequestBodySize} are allowed. Split it into several requests."), clock),
                clock);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        body = new BodyLimitStream(context.Request.Body, settings.MaxRequestBodySize);
        return null;
    }

    /// <summary>
    /// The answer to an ingest request (<c>POST /events</c>, <c>POST /metrics</c>) from its items' statuses at offer time:
    /// cut short or refused at once, else (with <see cref="AnalyticsHubHttpOptions.WaitForStorage"/>) after
    /// <paramref name="completion"/>, with one envelope shape, codes and paths for both.
    /// </summary>
    /// <remarks>The items' problem paths are relative to each item; <paramref name="noun"/> (<c>events</c> or <c>metrics</c>) names them in messages.</remarks>
    internal static async Task<IResult> RespondAsync(
        HttpContext context,
        IAnalyticsHub hub,
        AnalyticsHubHttpOptions settings,
        TimeProvider clock,
        IReadOnlyList<EventItemResult> items,
        Func<Task<IReadOnlyList<EventItemResult>>> completion,
        bool bodyExceeded,
        bool itemLimitReached,
        string noun)
    {
        // Cut short or refused: answer at once with the statuses at offer time (accepted = queued); a producer that was
        // pushed back should not also wait for the queue it overfilled.
        var offered = Classify(items);
        if (bodyExceeded || itemLimitReached)
        {
            var message = bodyExceeded
                ? Invariant($"The body exceeds {settings.MaxRequestBodySize} bytes; reading stopped there. The {items.Count} items listed were handled, the rest was not read.")
                : Invariant($"The body holds more {noun} than the hub takes in one request (Validation.MaxBatchItems); reading stopped there. The {items.Count - 1} items before the refused one were handled, the rest was not read.");
            return Envelope(ResponseStatus.Error, ToBatch(items, hub.IsRunning, clock), ApiError.PayloadTooLarge(message, clock), clock);
        }

        if (items.Count == 0)
        {
            return ApiResults.Error(ApiError.Create(ProblemCodes.EmptyInput, StatusCodes.Status400BadRequest, $"The body holds no {noun}.", clock), clock);
        }

        if (offered.Refused > 0)
        {
            ApiResults.SetRetryAfter(context, settings.RetryAfter);
            var error = hub.IsRunning
                ? ApiError.RateLimited(Invariant($"Backpressure: the ingestion queue was full and {offered.Refused} of {items.Count} {noun} were refused. Retry them after the delay in Retry-After."), clock)
                : ApiError.ServiceUnavailable(Invariant($"The analytics hub stopped while the request was read; {offered.Refused} of {items.Count} {noun} were refused."), clock);
            return Envelope(ResponseStatus.Error, ToBatch(items, hub.IsRunning, clock), error, clock);
        }

        if (settings.WaitForStorage && items.Any(i => i.Status == EventItemStatus.Accepted))
        {
            items = await completion().WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var batch = ToBatch(items, hub.IsRunning, clock);
        var outcome = Classify(items);
        if (outcome.Succeeded == 0 && outcome.StoreFailed > 0 && outcome.Invalid == 0)
        {
            ApiResults.SetRetryAfter(context, settings.RetryAfter);
            var reason = items.First(i => i.Status == EventItemStatus.Failed).Reason;
            return Envelope(ResponseStatus.Error, batch, ApiError.ServiceUnavailable($"Storing the {noun} failed: " + reason, clock), clock);
        }

        if (outcome.Invalid == items.Count)
        {
            var error = items.Count == 1
                ? ItemError(items[0], hub.IsRunning, clock)!
                : AllInvalid(items, noun, clock);
            return Envelope(ResponseStatus.Error, batch, error, clock);
        }

        var status = batch.Status == BatchStatus.AllSuccess ? ResponseStatus.Success : ResponseStatus.Partial;
        return TypedResults.Json(
            new ApiResponse<BatchResponse<NoContent>> { Status = status, Data = batch, Meta = ResponseMetadata.Create(clock) },
            ApiJsonContext.Canonical.ApiResponseBatchResponseNoContent,
            statusCode: settings.WaitForStorage ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<ApiResponse<BatchResponse<NoContent>>> Envelope(ResponseStatus status, BatchResponse<NoContent> batch, ApiError error, TimeProvider clock) =>
        TypedResults.Json(
            new ApiResponse<BatchResponse<NoContent>> { Status = status, Data = batch, Error = error, Meta = ResponseMetadata.Create(clock) },
            ApiJsonContext.Canonical.ApiResponseBatchResponseNoContent,
            statusCode: error.StatusCode);

    /// <summary>Per item: stored (or queued) is <c>success</c>; duplicate and dropped are <c>skipped</c>; invalid, refused and failed are <c>failed</c>.</summary>
    internal static BatchResponse<NoContent> ToBatch(IReadOnlyList<EventItemResult> items, bool running, TimeProvider clock)
    {
        var results = new BatchItemResult<NoContent>[items.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var item = items[i];
            var status = item.Status switch
            {
                EventItemStatus.Stored or EventItemStatus.Accepted => ItemStatus.Success,
                EventItemStatus.Duplicate or EventItemStatus.Dropped => ItemStatus.Skipped,
                _ => ItemStatus.Failed,
            };
            results[i] = new BatchItemResult<NoContent>
            {
                Index = item.Index,
                ItemId = item.EventId?.ToString("D", CultureInfo.InvariantCulture),
                Status = status,
                Error = ItemError(item, running, clock),
            };
        }

        return BatchResponse.Create(results);
    }

    private static ApiError? ItemError(EventItemResult item, bool running, TimeProvider clock) => item.Status switch
    {
        EventItemStatus.Invalid => WithLine(ApiError.FromProblems(item.Problems, timeProvider: clock), item),
        EventItemStatus.Refused => running
            ? ApiError.RateLimited(item.Reason ?? "Backpressure refused the event.", clock)
            : ApiError.ServiceUnavailable(item.Reason ?? "The hub stopped.", clock),
        EventItemStatus.Dropped => ApiError.RateLimited(item.Reason ?? "The queue was full; the event was dropped.", clock),
        EventItemStatus.Duplicate => ApiError.Create(ProblemCodes.DuplicateEvent, StatusCodes.Status409Conflict, Invariant($"Event {item.EventId} is already stored."), clock),
        EventItemStatus.Failed => ApiError.ServiceUnavailable(item.Reason ?? "Storing the event failed.", clock),
        _ => null,
    };

    /// <summary>An NDJSON item's error names its line, so a producer finds it in its file.</summary>
    private static ApiError WithLine(ApiError error, EventItemResult item)
    {
        if (item.LineNumber is not { } line)
        {
            return error;
        }

        var context = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["line"] = JsonSerializer.SerializeToElement(line, HttpApiJsonContext.Default.Int64),
        };
        return error.WithDetails(new ErrorDetails { Context = context });
    }

    /// <summary>Every item was invalid: one <c>validation_error</c> whose field paths start with the item's index (<c>[2].timestamp</c>).</summary>
    private static ApiError AllInvalid(IReadOnlyList<EventItemResult> items, string noun, TimeProvider clock)
    {
        var problems = new List<Problem>();
        foreach (var item in items)
        {
            foreach (var problem in item.Problems)
            {
                if (problem.IsError)
                {
                    var path = Invariant($"[{item.Index}]") + (problem.Path is "$" or "" ? string.Empty : "." + problem.Path);
                    problems.Add(problem with { Path = path });
                }
            }
        }

        return ApiError.FromProblems(problems, Invariant($"All {items.Count} {noun} are invalid; nothing was stored."), clock);
    }

    private static (int Succeeded, int Invalid, int Refused, int StoreFailed) Classify(IReadOnlyList<EventItemResult> items)
    {
        int succeeded = 0, invalid = 0, refused = 0, failed = 0;
        foreach (var item in items)
        {
            switch (item.Status)
            {
                case EventItemStatus.Invalid:
                    invalid++;
                    break;
                case EventItemStatus.Refused:
                    refused++;
                    break;
                case EventItemStatus.Failed:
                    failed++;
                    break;
                case EventItemStatus.Dropped:
                    break;
                default:
                    succeeded++;
                    break;
            }
        }

        return (succeeded, invalid, refused, failed);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
