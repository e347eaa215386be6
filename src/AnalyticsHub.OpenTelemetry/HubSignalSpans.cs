using System.Diagnostics;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using Microsoft.Extensions.Hosting;

namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// Turns the events the hub derives (anomaly episodes, budget alerts, unpriced usage, ...) into spans on the source
/// <see cref="SourceName"/>, each linked to its trigger, so they reach the host's OpenTelemetry pipeline beside the
/// calls that caused them. Registered by <c>AddAnalyticsHub().AddHubSignalSpans()</c>.
/// </summary>
/// <remarks>
/// The pipeline thread that derives an event has no caller span, so each signal is a root span (kind internal, start
/// and end at the event's time) with a link: to the bridged call whose event is the trigger (its trace and span ids,
/// from the trigger's <c>correlation_id</c> and <c>span_id</c>), or to the signal span made for a trigger that is itself
/// derived (the previous event of an anomaly episode). It reads the hub's live subscription; while no listener is on
/// the source it makes nothing. Spans carry hub-owned attribute names only (<c>analyticshub.*</c>).
/// </remarks>
public sealed class HubSignalSpans : IAsyncDisposable, IDisposable
{
    /// <summary>The activity source of the signal spans; give it to the host's <c>AddSource</c>.</summary>
    public const string SourceName = "AnalyticsHub.Signals";

    /// <summary>How many signal spans are remembered to link later signals of the same episode to; older ones are forgotten first.</summary>
    public const int RememberedSpans = 4096;

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    private readonly IAnalyticsHub _hub;
    private readonly HashSet<string> _excluded;
    private readonly Dictionary<Guid, ActivityContext> _spansByEvent = [];
    private readonly Queue<Guid> _order = new();
    private readonly Lock _gate = new();
    private IEventSubscription? _subscription;
    private Task? _loop;
    private long _spans;

    internal HubSignalSpans(IAnalyticsHub hub, IEnumerable<string> excludedSubtypes)
    {
        _hub = hub;
        _excluded = new HashSet<string>(excludedSubtypes, StringComparer.Ordinal);
    }

    /// <summary>Signal spans made so far.</summary>
    public long SpansEmitted => Interlocked.Read(ref _spans);

    /// <summary>Subscribes to the hub's derived events; a second call does nothing.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_subscription is null)
            {
                _subscription = _hub.Subscribe(new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub] });
                var subscription = _subscription;
                _loop = Task.Run(() => RunAsync(subscription), CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Ends the subscription and waits for the last span.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        IEventSubscription? subscription;
        Task? loop;
        lock (_gate)
        {
            subscription = _subscription;
            loop = _loop;
        }

        if (subscription is not null)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Ends the subscription without waiting for the last span; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        IEventSubscription? subscription;
        lock (_gate)
        {
            subscription = _subscription;
        }

        if (subscription is not null)
        {
            var ending = subscription.DisposeAsync();
            if (!ending.IsCompleted)
            {
                _ = ending.AsTask();
            }
        }
    }

    private async Task RunAsync(IEventSubscription subscription)
    {
        // Signal spans are roots: whatever span was current where the host started the hub is not their parent.
        Activity.Current = null;
        try
        {
            await foreach (var frame in ((IAsyncEnumerable<Api.StreamEvent<AnalyticsEvent>>)subscription).ConfigureAwait(false))
            {
                if (frame.Data is { } evt && Source.HasListeners() && !_excluded.Contains(evt.Payload.Subtype))
                {
                    await EmitAsync(evt).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The subscription ended with the hub or with StopAsync.
        }
        catch (ObjectDisposedException)
        {
            // Likewise, when the store went first.
        }
    }

    private async Task EmitAsync(AnalyticsEvent evt)
    {
        ActivityLink[]? links = null;
        if (evt.Common.ParentEventId is { } parentId && await TriggerOf(parentId).ConfigureAwait(false) is { } trigger)
        {
            links = [new ActivityLink(trigger)];
        }

        var tags = new ActivityTagsCollection
        {
            ["analyticshub.event_id"] = evt.EventId.ToString(),
            ["analyticshub.signal"] = evt.Payload.Subtype,
            ["analyticshub.severity"] = WireEnumName(evt.Severity),
            ["analyticshub.environment"] = evt.Common.Environment,
        };
        if (evt.Common.ParentEventId is { } parent)
        {
            tags["analyticshub.parent_event_id"] = parent.ToString();
        }

        if (evt.Common.CorrelationId is { } correlation)
        {
            tags["analyticshub.correlation_id"] = correlation.ToString();
        }

        using var activity = Source.StartActivity(ActivityKind.Internal, parentContext: default, tags, links, evt.Timestamp, name: "analyticshub.signal " + evt.Payload.Subtype);
        if (activity is null)
        {
            return;
        }

        if (evt.Severity is Severity.Error or Severity.Critical)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }

        activity.SetEndTime(evt.Timestamp.UtcDateTime);
        Remember(evt.EventId, activity.Context);
        Interlocked.Increment(ref _spans);
    }

    /// <summary>The span of the trigger: a signal span made here, else the bridged call's span named by its event.</summary>
    private async ValueTask<ActivityContext?> TriggerOf(Guid parentId)
    {
        if (_spansByEvent.TryGetValue(parentId, out var known))
        {
            return known;
        }

        var parent = await _hub.Events.GetAsync(parentId).ConfigureAwait(false);
        if (parent?.Common.CorrelationId is { } correlation
            && parent.Common.Tags.TryGetValue(GenAiEventMapper.SpanIdTag, out var spanId)
            && spanId.Length == 16
            && spanId.AsSpan().IndexOfAnyExcept(HexDigits) < 0)
        {
            return new ActivityContext(GenAiEventMapper.TraceIdOf(correlation), ActivitySpanId.CreateFromString(spanId), ActivityTraceFlags.Recorded);
        }

        return null;
    }

    private void Remember(Guid eventId, ActivityContext context)
    {
        if (_spansByEvent.TryAdd(eventId, context))
        {
            _order.Enqueue(eventId);
            if (_order.Count > RememberedSpans)
            {
                _spansByEvent.Remove(_order.Dequeue());
            }
        }
    }

    private static string WireEnumName(Severity severity) => severity switch
    {
        Severity.Debug => "debug",
        Severity.Info => "info",
        Severity.Warning => "warning",
        Severity.Error => "error",
        _ => "critical",
    };
}

/// <summary>Ties <see cref="HubSignalSpans"/> to a generic host, after the hub.</summary>
internal sealed class HubSignalSpansHostedService(HubSignalSpans spans) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => spans.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => spans.StopAsync(cancellationToken);
}
