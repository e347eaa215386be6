using System.Globalization;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnalyticsHub.AspNetCore;

/// <summary>Event reads: <c>GET /events</c> (filters, cursor paging, exact totals), <c>/events/{id}</c>, <c>/events/{id}/correlated</c>, <c>/events/rate</c>.</summary>
internal static class EventEndpoints
{
    private const long MaxBucketSeconds = 31L * 86_400;

    private static readonly string[] RateParameters = ["bucket_seconds"];

    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/events", QueryAsync)
            .WithOperationId("QueryEvents")
            .WithSummary("Stored events matching the filters, newest first by default, in offset pages or with a keyset cursor; total_items is exact.")
            .WithEventQueryParameters(paging: true)
            .Produces<PaginatedResponse<AnalyticsEvent>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest);
        read.MapGet("/events/rate", RateAsync)
            .WithOperationId("EventRate")
            .WithSummary("Stored events per bucket (bucket_seconds, 60 by default) and source module over from..to (the last hour by default), with the filters of GET /events.")
            .WithEventQueryParameters(paging: false, new QueryParameterMetadata("bucket_seconds", "The bucket width in seconds, 1 to 31 days (60 by default)."))
            .Produces<ApiResponse<EventRateReport>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest);
        read.MapGet("/events/{id}", GetAsync)
            .WithOperationId("GetEvent")
            .WithSummary("One stored event by its id.")
            .Produces<ApiResponse<AnalyticsEvent>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status404NotFound);
        read.MapGet("/events/{id}/correlated", CorrelatedAsync)
            .WithOperationId("GetCorrelatedEvents")
            .WithSummary("The stored events related to one: those sharing its correlation_id and those derived from it (parent_event_id), oldest first.")
            .Produces<ApiResponse<IReadOnlyList<AnalyticsEvent>>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> QueryAsync(HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        var problems = EventQueryString.TryParse(ApiResults.QueryParameters(context.Request), out var query);
        if (problems.Count > 0)
        {
            return ApiResults.Problems(problems, clock);
        }

        EventPage page;
        try
        {
            page = await hub.QueryEventsAsync(query!, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidQueryException exception)
        {
            // The store checks again (e.g. a cursor that decodes but belongs to another store version).
            return ApiResults.Problems(exception.Problems, clock);
        }

        var request = context.Request;
        var baseUrl = string.Concat(request.PathBase.Value, request.Path.Value, request.QueryString.Value);
        var response = PaginatedResponse.Success(page.Events, page.ToPaginationMetadata(baseUrl), page.NextCursor, clock);
        return TypedResults.Json(response, ApiJsonContext.Canonical.PaginatedResponseAnalyticsEvent);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        if (!TryParseId(id, out var eventId, out var invalid, clock))
        {
            return invalid;
        }

        var evt = await hub.Events.GetAsync(eventId, context.RequestAborted).ConfigureAwait(false);
        return evt is null
            ? NotFound(eventId, clock)
            : ApiResults.Success(evt, ApiJsonContext.Canonical.ApiResponseAnalyticsEvent, clock);
    }

    private static async Task<IResult> CorrelatedAsync(string id, HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        if (!TryParseId(id, out var eventId, out var invalid, clock))
        {
            return invalid;
        }

        var cancellationToken = context.RequestAborted;
        var evt = await hub.Events.GetAsync(eventId, cancellationToken).ConfigureAwait(false);
        if (evt is null)
        {
            return NotFound(eventId, clock);
        }

        var related = new List<AnalyticsEvent>();
        var seen = new HashSet<Guid> { eventId };
        if (evt.Common.CorrelationId is { } correlationId)
        {
            AddNew(related, seen, await hub.Events.GetCorrelatedAsync(correlationId, cancellationToken).ConfigureAwait(false));
        }

        AddNew(related, seen, await hub.Events.GetChildrenAsync(eventId, cancellationToken).ConfigureAwait(false));

        // Both lists are oldest first; a stable sort keeps each list's tie order.
        var ordered = related.OrderBy(e => e.Timestamp).ToList();
        return ApiResults.Success<IReadOnlyList<AnalyticsEvent>>(ordered, ApiJsonContext.Canonical.ApiResponseIReadOnlyListAnalyticsEvent, clock);
    }

    private static async Task<IResult> RateAsync(HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        var problems = new List<Problem>(EventQueryString.TryParse(ApiResults.QueryParameters(context.Request), out var filter, RateParameters, validatePaging: false));
        var bucketSeconds = 60L;
        if (context.Request.Query["bucket_seconds"] is { Count: > 0 } bucketValue
            && (bucketValue.Count > 1 || !long.TryParse(bucketValue.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out bucketSeconds) || bucketSeconds is < 1 or > MaxBucketSeconds))
        {
            problems.Add(new Problem(ProblemCodes.NumberOutOfRange, ProblemSeverity.Error, "bucket_seconds", Invariant($"bucket_seconds must be one whole number from 1 to {MaxBucketSeconds}.")));
        }

        if (problems.Count > 0)
        {
            return ApiResults.Problems(problems, clock);
        }

        var to = filter!.To ?? clock.GetUtcNow();
        filter = filter with { To = to, From = filter.From ?? to.AddHours(-1) };
        var bucket = TimeSpan.FromSeconds(bucketSeconds);
        if (EventRates.Validate(filter, bucket) is { Count: > 0 } invalid)
        {
            return ApiResults.Problems([.. invalid.Select(p => p.Path == "bucket" ? p with { Path = "bucket_seconds" } : p)], clock);
        }

        var buckets = await EventRates.CountAsync(hub.Events, filter, bucket, context.RequestAborted).ConfigureAwait(false);
        ulong total = 0;
        foreach (var b in buckets)
        {
            total += b.Total;
        }

        var report = new EventRateReport { From = filter.From!.Value, To = to, BucketSeconds = bucketSeconds, Total = total, Buckets = buckets };
        return ApiResults.Success(report, HttpApiJsonContext.Canonical.EventRateReport, clock);
    }

    private static void AddNew(List<AnalyticsEvent> into, HashSet<Guid> seen, IReadOnlyList<AnalyticsEvent> events)
    {
        foreach (var e in events)
        {
            if (seen.Add(e.EventId))
            {
                into.Add(e);
            }
        }
    }

    private static bool TryParseId(string id, out Guid eventId, out IResult invalid, TimeProvider clock)
    {
        if (Guid.TryParse(id, CultureInfo.InvariantCulture, out eventId))
        {
            invalid = null!;
            return true;
        }

        invalid = ApiResults.Problem(ProblemCodes.InvalidUuid, "id", "The event id must be a UUID.", clock);
        return false;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static IResult NotFound(Guid eventId, TimeProvider clock) =>
        ApiResults.Error(ApiError.NotFound($"No stored event has the id {eventId:D} (never stored, or removed by retention).", clock), clock);
}
