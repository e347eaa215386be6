using System.Globalization;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// Live streams of stored events: <c>GET /stream</c> (server-sent events) and <c>GET /ws</c> (WebSocket text messages),
/// with the filters of <c>GET /events</c>, heartbeats, resumption after a sequence and the store's gap frames; and
/// <c>GET /correlations/stream</c>, the same server-sent events of the incident lifecycle events only, filtered by
/// type, least strength and module (<see cref="CorrelationStreamFilter"/>).
/// </summary>
internal static class StreamEndpoints
{
    private const string LastEventIdParameter = "last_event_id";
    private static readonly string[] StreamParameters = [LastEventIdParameter];

    private static readonly QueryParameterMetadata LastEventId = new(LastEventIdParameter, "Resume after this sequence number (as the Last-Event-ID header does).");
    private static readonly string[] CorrelationFilters = ["correlation_types", "min_strength", "include_modules"];

    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/stream", Stream)
            .WithOperationId("StreamEvents")
            .WithSummary("Server-sent events of stored events matching the filters: data, heartbeat and error (stream_gap) frames; the id is the sequence, so Last-Event-ID resumes.")
            .WithEventQueryParameters(paging: false, LastEventId)
            .Produces<StreamEvent<AnalyticsEvent>>(StatusCodes.Status200OK, "text/event-stream")
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status503ServiceUnavailable);
        read.MapGet("/correlations/stream", CorrelationStream)
            .WithOperationId("StreamCorrelations")
            .WithSummary("Server-sent events of the incident lifecycle events (open, update, close; data = the correlation event with the incident) whose incident has one of correlation_types, at least min_strength (0 when left out) and a member from one of include_modules; frames and resumption as /stream.")
            .WithMetadata(new QueryParameterMetadata("correlation_types", "Incident types to receive, repeated or comma-separated wire names (primary type or any of correlation_types); all when left out."))
            .WithMetadata(new QueryParameterMetadata("min_strength", "The least incident strength to receive, in [0, 1]; 0 when left out."))
            .WithMetadata(new QueryParameterMetadata("include_modules", "Modules an incident must involve, repeated or comma-separated wire names; all when left out."))
            .WithMetadata(LastEventId)
            .Produces<StreamEvent<AnalyticsEvent>>(StatusCodes.Status200OK, "text/event-stream")
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status503ServiceUnavailable);
        read.MapGet("/ws", WebSocketAsync)
            .WithOperationId("StreamEventsWebSocket")
            .WithSummary("The same frames as /stream, one JSON text message each, over a WebSocket; resume with last_event_id.")
            .WithEventQueryParameters(paging: false, LastEventId)
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status101SwitchingProtocols))
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Stream(
        HttpContext context,
        IAnalyticsHub hub,
        StreamSubscriberGate gate,
        IOptions<AnalyticsHubHttpOptions> options,
        IHostApplicationLifetime lifetime,
        TimeProvider clock) => ServerSentEvents(context, hub, gate, options.Value, lifetime, clock, correlations: false);

    private static IResult CorrelationStream(
        HttpContext context,
        IAnalyticsHub hub,
        StreamSubscriberGate gate,
        IOptions<AnalyticsHubHttpOptions> options,
        IHostApplicationLifetime lifetime,
        TimeProvider clock) => ServerSentEvents(context, hub, gate, options.Value, lifetime, clock, correlations: true);

    private static IResult ServerSentEvents(
        HttpContext context,
        IAnalyticsHub hub,
        StreamSubscriberGate gate,
        AnalyticsHubHttpOptions settings,
        IHostApplicationLifetime lifetime,
        TimeProvider clock,
        bool correlations)
    {
        var resumeHeader = context.Request.Headers["Last-Event-ID"];
        if (!TrySubscribe(context, hub, gate, settings, clock, resumeHeader.Count > 0 ? (resumeHeader.ToString(), "Last-Event-ID") : null, correlations, out var subscription, out var resumeAfter, out var error))
        {
            return error;
        }

        return TypedResults.ServerSentEvents(ToSse(subscription, resumeAfter, gate, settings.HeartbeatInterval, settings.StreamRetry, clock, lifetime.ApplicationStopping, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> ToSse(
        IEventSubscription subscription,
        ulong resumeAfter,
        StreamSubscriberGate gate,
        TimeSpan heartbeat,
        TimeSpan retry,
        TimeProvider clock,
        CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = resumeAfter;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellationToken);
        try
        {
            // A heartbeat at once sends the response headers (a client's connect returns) and the reconnection delay.
            yield return ToSseItem(Heartbeat(resumeAfter, clock)) with { ReconnectionInterval = retry };
            await foreach (var frame in WithHeartbeats(subscription, resumeAfter, heartbeat, clock, stop.Token).ConfigureAwait(false))
            {
                last = frame.Sequence;
                yield return ToSseItem(frame);
            }

            if (stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The host is shutting down: say so, so the client reconnects (to another instance) after the last frame.
                yield return ToSseItem(new StreamEvent<AnalyticsEvent>
                {
                    EventId = Guid.NewGuid(),
                    EventType = StreamEventType.Complete,
                    Sequence = last,
                    Timestamp = clock.GetUtcNow(),
                });
            }
        }
        finally
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            gate.Exit();
        }
    }

    /// <summary>
    /// A frame as a server-sent event (.NET's <see cref="SseItem{T}"/>): <c>event</c> = the frame type (<c>data</c>,
    /// <c>heartbeat</c>, <c>error</c>, <c>complete</c>), <c>id</c> = the sequence (so <c>Last-Event-ID</c> resumes), data =
    /// the frame's JSON (one line: the canonical writer never indents).
    /// </summary>
    internal static SseItem<string> ToSseItem(StreamEvent<AnalyticsEvent> frame) =>
        new(JsonSerializer.Serialize(frame, ApiJsonContext.Canonical.StreamEventAnalyticsEvent), FrameName(frame.EventType))
        {
            EventId = frame.Sequence.ToString(CultureInfo.InvariantCulture),
        };

    private static string FrameName(StreamEventType type) => type switch
    {
        StreamEventType.Data => "data",
        StreamEventType.Heartbeat => "heartbeat",
        StreamEventType.Error => "error",
        StreamEventType.Complete => "complete",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown stream frame type."),
    };

    private static async Task<IResult> WebSocketAsync(
        HttpContext context,
        IAnalyticsHub hub,
        StreamSubscriberGate gate,
        IOptions<AnalyticsHubHttpOptions> options,
        IHostApplicationLifetime lifetime,
        TimeProvider clock)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiResults.Error(ApiError.BadRequest("GET /ws takes a WebSocket upgrade request (the host must call app.UseWebSockets()); use /stream for server-sent events.", clock), clock);
        }

        var settings = options.Value;
        if (!TrySubscribe(context, hub, gate, settings, clock, null, correlations: false, out var subscription, out var resumeAfter, out var error))
        {
            return error;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            var receive = WatchForCloseAsync(socket, stop);
            try
            {
                await foreach (var frame in WithHeartbeats(subscription, resumeAfter, settings.HeartbeatInterval, clock, stop.Token).ConfigureAwait(false))
                {
                    var json = JsonSerializer.SerializeToUtf8Bytes(frame, ApiJsonContext.Canonical.StreamEventAnalyticsEvent);
                    await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
            {
                // The client went away or closed: nothing left to send to.
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await receive.ConfigureAwait(false);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stream ended", CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            gate.Exit();
        }

        return Results.Empty;
    }

    /// <summary>Reads (and drops) what the client sends until it closes, then stops the stream.</summary>
    private static async Task WatchForCloseAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[256];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // Stopped by the server, or the connection broke.
        }

        await stop.CancelAsync().ConfigureAwait(false);
    }

    private static bool TrySubscribe(
        HttpContext context,
        IAnalyticsHub hub,
        StreamSubscriberGate gate,
        AnalyticsHubHttpOptions settings,
        TimeProvider clock,
        (string Value, string Path)? resumeHeader,
        bool correlations,
        out IEventSubscription subscription,
        out ulong resumeAfter,
        out IResult error)
    {
        subscription = null!;
        resumeAfter = 0;
        var problems = new List<Problem>();
        var subscribe = correlations ? ReadCorrelationFilter(context, hub, problems) : ReadEventFilter(context, hub, problems);

        ulong? resumeSequence = null;
        var resume = resumeHeader ?? (context.Request.Query[LastEventIdParameter] is { Count: > 0 } q ? (q.ToString(), LastEventIdParameter) : null);
        if (resume is { } r)
        {
            if (ulong.TryParse(r.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                resumeSequence = sequence;
            }
            else
            {
                problems.Add(new Problem(ProblemCodes.NotAnInteger, ProblemSeverity.Error, r.Path, $"{r.Path} must be the sequence (the id) of the last frame received."));
            }
        }

        if (problems.Count > 0)
        {
            error = ApiResults.Problems(problems, clock);
            return false;
        }

        if (!gate.TryEnter(settings.MaxStreamSubscribers))
        {
            error = ApiResults.Unavailable(
                context,
                string.Create(CultureInfo.InvariantCulture, $"The hub serves at most {settings.MaxStreamSubscribers} live subscribers; try again later."),
                settings.RetryAfter,
                clock);
            return false;
        }

        try
        {
            subscription = subscribe(resumeSequence);
            resumeAfter = resumeSequence ?? 0;
        }
        catch (InvalidQueryException exception)
        {
            gate.Exit();
            error = ApiResults.Problems(exception.Problems, clock);
            return false;
        }

        error = null!;
        return true;
    }

    /// <summary>The filters of <c>GET /events</c> (paging refused: a live stream has none), as a subscriber.</summary>
    private static Func<ulong?, IEventSubscription> ReadEventFilter(HttpContext context, IAnalyticsHub hub, List<Problem> problems)
    {
        problems.AddRange(EventQueryString.TryParse(ApiResults.QueryParameters(context.Request), out var filter, StreamParameters, validatePaging: false));
        foreach (var name in (string[])["page", "per_page", "cursor", "order"])
        {
            if (context.Request.Query.ContainsKey(name))
            {
                problems.Add(new Problem(ProblemCodes.UnknownField, ProblemSeverity.Error, name, $"A live stream has no {name}; resume with Last-Event-ID or last_event_id."));
            }
        }

        return resume => hub.Subscribe(filter!, resume);
    }

    /// <summary>
    /// The filters of <c>GET /correlations/stream</c>, read as <c>GET /correlations</c> reads them (so the same names, values
    /// and problems), as a subscriber; a query's seed, window and depth mean nothing to a live stream and are refused.
    /// </summary>
    private static Func<ulong?, IEventSubscription> ReadCorrelationFilter(HttpContext context, IAnalyticsHub hub, List<Problem> problems)
    {
        var parameters = ApiResults.QueryParameters(context.Request).Where(p => p.Key != LastEventIdParameter).ToList();
        foreach (var (name, _) in parameters.Where(p => CorrelationQueryString.Parameters.Contains(p.Key) && !CorrelationFilters.Contains(p.Key)).DistinctBy(p => p.Key))
        {
            problems.Add(new Problem(ProblemCodes.UnknownField, ProblemSeverity.Error, name, $"A live stream has no {name}: it sends every incident event as it happens; filter with {string.Join(", ", CorrelationFilters)}."));
        }

        problems.AddRange(CorrelationQueryString.TryParse(parameters, out var query));
        var filter = query is null ? null : new CorrelationStreamFilter
        {
            CorrelationTypes = query.CorrelationTypes,
            MinStrength = parameters.Any(p => p.Key == "min_strength") ? query.MinStrength : 0,
            IncludeModules = query.IncludeModules,
        };
        return resume => hub.SubscribeCorrelations(filter!, resume);
    }

    /// <summary>
    /// The subscription's frames, with a heartbeat frame whenever <paramref name="interval"/> passes without one. A
    /// heartbeat carries the sequence of the last frame delivered, so resuming after it loses nothing.
    /// </summary>
    internal static async IAsyncEnumerable<StreamEvent<AnalyticsEvent>> WithHeartbeats(
        IEventSubscription subscription,
        ulong startAfter,
        TimeSpan interval,
        TimeProvider clock,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var frames = subscription.GetAsyncEnumerator(stop.Token);
        Task<bool>? next = null;
        var last = startAfter;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                next ??= frames.MoveNextAsync().AsTask();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                var heartbeat = Task.Delay(interval, clock, wait.Token);
                var done = await Task.WhenAny(next, heartbeat).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                if (done == next)
                {
                    var moved = next;
                    next = null;
                    if (!await moved.ConfigureAwait(false))
                    {
                        yield break;
                    }

                    last = frames.Current.Sequence;
                    yield return frames.Current;
                }
                else if (!cancellationToken.IsCancellationRequested)
                {
                    yield return Heartbeat(last, clock);
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (next is not null)
            {
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The pending read was cancelled with the stream.
                }
            }

            await frames.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static StreamEvent<AnalyticsEvent> Heartbeat(ulong sequence, TimeProvider clock) => new()
    {
        EventId = Guid.NewGuid(),
        EventType = StreamEventType.Heartbeat,
        Sequence = sequence,
        Timestamp = clock.GetUtcNow(),
    };
}
