using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.OpenTelemetry;

/// <summary>
/// Feeds the hub from the OpenTelemetry GenAI spans the host's AI libraries already emit: a listener copies each finished
/// chat, completion or embedding span off the caller's thread into a bounded queue, and a background pump turns it
/// into <c>latency</c>, <c>token_usage</c> and per-model <c>error_rate</c> events. Registered by
/// <c>AddAnalyticsHub().AddGenAiTelemetry(...)</c>.
/// </summary>
/// <remarks>
/// In a generic host the bridge starts after the hub and stops before it. Elsewhere call <see cref="StartAsync"/> (which
/// starts the hub too) and <see cref="StopAsync"/> before stopping the hub. Thread-safe.
/// </remarks>
public sealed class GenAiTelemetryBridge : IAsyncDisposable, IDisposable
{
    /// <summary>The meter of the bridge's own instruments (<c>analyticshub.genai.*</c>); give it to the host's <c>AddMeter</c>.</summary>
    public const string MeterName = "AnalyticsHub.OpenTelemetry";

    /// <summary>How often the pump checks whether an <c>error_rate</c> window is due, by the clock.</summary>
    internal static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    private static readonly GenAiCall TickMarker = new();

    private readonly IAnalyticsHub _hub;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly GenAiTelemetryOptions _options;
    private readonly Channel<GenAiCall> _queue;
    private readonly GenAiCallPool _pool;
    private readonly GenAiSpanListener _listener;
    private readonly GenAiEventMapper _mapper;
    private readonly ErrorRateWindows _windows;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Lock _gate = new();
    private readonly string _sourcesText;
    private readonly string _prefixesText;
    private Task? _pump;
    private ITimer? _timer;
    private bool _started;
    private bool _stopped;
    private long _mapped;
    private long _mapFailures;
    private long _offered;
    private long _accepted;
    private long _rejected;
    private long _refused;
    private long _notOffered;
    private long _lateForErrorRate;

    internal GenAiTelemetryBridge(GenAiTelemetryOptions options, IAnalyticsHub hub, TimeProvider timeProvider, ILogger logger, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid GenAI telemetry options: " + string.Join(" ", problems), nameof(options));
        }

        _options = options;
        _sourcesText = string.Join(", ", options.Sources);
        _prefixesText = string.Join(", ", options.SourcePrefixes);
        _hub = hub;
        _timeProvider = timeProvider;
        _logger = logger;
        _queue = Channel.CreateBounded<GenAiCall>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pool = new GenAiCallPool(options.QueueCapacity);
        _listener = new GenAiSpanListener(options, _pool, _queue.Writer);
        _mapper = new GenAiEventMapper(options);
        _windows = new ErrorRateWindows(options.ErrorRateWindow, options.ErrorRateLateness, options.Environment);
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ownsMeter = meterFactory is null;
        _meter.CreateObservableCounter("analyticshub.genai.calls", () => _listener.Observed, "{call}", "GenAI calls (chat, completion, embedding spans) the bridge observed.");
        _meter.CreateObservableCounter("analyticshub.genai.dropped", () => _listener.Dropped, "{call}", "GenAI calls dropped because the bridge's queue was full.");
        _meter.CreateObservableCounter("analyticshub.genai.events", () => Interlocked.Read(ref _accepted), "{event}", "Events the bridge produced that the hub accepted.");
        _meter.CreateObservableGauge("analyticshub.genai.queue_depth", () => _queue.Reader.Count, "{call}", "GenAI calls waiting for the bridge's pump.");
    }

    /// <summary>The bridge's accounting right now.</summary>
    public GenAiBridgeStatistics Statistics => new()
    {
        Observed = _listener.Observed,
        Ignored = _listener.Ignored,
        Dropped = _listener.Dropped,
        CopyFailures = _listener.CopyFailures,
        Mapped = Interlocked.Read(ref _mapped),
        MapFailures = Interlocked.Read(ref _mapFailures),
        EventsOffered = Interlocked.Read(ref _offered),
        EventsAccepted = Interlocked.Read(ref _accepted),
        EventsRejected = Interlocked.Read(ref _rejected),
        EventsRefused = Interlocked.Read(ref _refused),
        EventsNotOffered = Interlocked.Read(ref _notOffered),
        LateForErrorRate = Interlocked.Read(ref _lateForErrorRate),
        QueueDepth = _queue.Reader.Count,
    };

    /// <summary>Starts the hub (a second start does nothing), then the listener and the pump; a second call does nothing.</summary>
    /// <exception cref="InvalidOperationException">The bridge was stopped; it cannot start again.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _hub.StartAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started)
            {
                return;
            }

            _started = true;
            _pump = Task.Run(PumpAsync, CancellationToken.None);
            _timer = _timeProvider.CreateTimer(static state => ((GenAiTelemetryBridge)state!)._queue.Writer.TryWrite(TickMarker), this, TickPeriod, TickPeriod);
            _listener.Start();
        }

        BridgeLog.Started(_logger, _sourcesText, _prefixesText);
    }

    /// <summary>Completes once every call observed before it has been handed to the hub and the hub has processed it.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_started)
            {
                return; // nothing was ever listened to, so nothing is queued
            }
        }

        var marker = new GenAiCall { FlushCompletion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        try
        {
            await _queue.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Stopped: everything observed has already been handed over.
            return;
        }

        await marker.FlushCompletion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _hub.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops listening, hands what is queued to the hub, emits every open <c>error_rate</c> window and waits for the pump;
    /// a second call waits for the first.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var first = Close();
        Task? pump;
        lock (_gate)
        {
            pump = _pump;
        }

        if (pump is not null)
        {
            await pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (first)
        {
            var stats = Statistics;
            BridgeLog.Stopped(_logger, stats.Observed, stats.Dropped, stats.EventsAccepted);
        }
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, then releases the bridge's meter.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>
    /// Stops listening and closes the queue without waiting: the pump hands what is queued to the hub in the background.
    /// Prefer <see cref="DisposeAsync"/>, which waits.
    /// </summary>
    public void Dispose()
    {
        Close();
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>Stops listening and completes the queue, once; true for the call that did it.</summary>
    private bool Close()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            _stopped = true;
            _listener.Dispose();
            _timer?.Dispose();
            _queue.Writer.TryComplete();
            return true;
        }
    }

    /// <summary>Copies a finished span as the listener does (for the pump's tests and the benchmark).</summary>
    internal GenAiSpanListener Listener => _listener;

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        var events = new List<AnalyticsEvent>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (ReferenceEquals(item, TickMarker))
                {
                    _windows.CloseDue(_timeProvider.GetUtcNow(), events);
                }
                else if (item.FlushCompletion is { } flushed)
                {
                    events = await IngestAsync(events).ConfigureAwait(false);
                    flushed.TrySetResult();
                    continue;
                }
                else
                {
                    Map(item, events);
                }

                if (events.Count >= _options.MaxBatchSize)
                {
                    events = await IngestAsync(events).ConfigureAwait(false);
                }
            }

            events = await IngestAsync(events).ConfigureAwait(false);
        }

        _windows.CloseAll(events);
        await IngestAsync(events).ConfigureAwait(false);
    }

    private void Map(GenAiCall call, List<AnalyticsEvent> events)
    {
        var before = events.Count;
        try
        {
            _mapper.Map(call, events);
            var late = _windows.Late;
            _windows.Add(GenAiEventMapper.RequestedModelOf(call), _mapper.ProviderOf(call), call.End, call.Failed ? GenAiEventMapper.ErrorTypeOf(call) : null, events);
            if (_windows.Late != late)
            {
                Interlocked.Increment(ref _lateForErrorRate);
            }

            Interlocked.Increment(ref _mapped);
        }
#pragma warning disable CA1031 // One malformed span must not stop the pump for every later call.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            events.RemoveRange(before, events.Count - before);
            Interlocked.Increment(ref _mapFailures);
            BridgeLog.MapFailed(_logger, call.Source, ex);
        }
        finally
        {
            _pool.Return(call);
        }
    }

    /// <summary>Offers the batch to the hub and counts each item's status; returns the list to fill next.</summary>
    private async Task<List<AnalyticsEvent>> IngestAsync(List<AnalyticsEvent> events)
    {
        if (events.Count == 0)
        {
            return events;
        }

        Interlocked.Add(ref _offered, events.Count);
        try
        {
            var result = await _hub.IngestAsync(events).ConfigureAwait(false);
            foreach (var item in result.Items)
            {
                switch (item.Status)
                {
                    case EventItemStatus.Invalid:
                        Interlocked.Increment(ref _rejected);
                        if (item.Problems.Count > 0)
                        {
                            var problem = item.Problems[0];
                            BridgeLog.Rejected(_logger, events[item.Index].Payload.Subtype, problem.Code, problem.Path, problem.Message);
                        }

                        break;
                    case EventItemStatus.Refused:
                    case EventItemStatus.Dropped:
                        Interlocked.Increment(ref _refused);
                        break;
                    default:
                        Interlocked.Increment(ref _accepted);
                        break;
                }
            }
        }
#pragma warning disable CA1031 // The pump outlives any one failure: the events are counted, the next batch tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Interlocked.Add(ref _notOffered, events.Count);
            BridgeLog.NotOffered(_logger, events.Count, ex);
        }

        return new List<AnalyticsEvent>(_options.MaxBatchSize);
    }
}
