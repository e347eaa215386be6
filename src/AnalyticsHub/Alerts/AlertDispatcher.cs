using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Alerts;

/// <summary>
/// Hands the hub's alerts to the host's <see cref="IAlertSink"/>s off the ingestion path: one bounded queue, shared by
/// every stage that raises alerts, that never blocks a writer (a full queue drops the new alert and counts it), and one
/// background task that calls the sinks in order.
/// </summary>
/// <remarks>
/// Counters: <c>analyticshub.alerts.raised</c>, <c>analyticshub.alerts.dropped</c> (tags <c>kind</c>, <c>severity</c>) and
/// <c>analyticshub.alerts.sink_failures</c> (tag <c>kind</c>). A stage drains the queue when the pipeline completes it
/// (<see cref="DrainAsync"/>); disposing stops delivery. Thread-safe.
/// </remarks>
internal sealed class AlertDispatcher : IDisposable
{
    private static readonly string[] KindNames = ["incident", "policy_violation"];

    private readonly IAlertSink[] _sinks;
    private readonly Channel<Alert> _queue;
    private readonly Counter<long> _raised;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _failures;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _worker;
    private TaskCompletionSource? _idle;
    private long _pending;
    private long _raisedCount;
    private long _droppedCount;
    private long _sinkFailures;

    public AlertDispatcher(IEnumerable<IAlertSink> sinks, AlertDeliveryOptions options, HubMeter meter)
    {
        _sinks = [.. sinks];
        DrainTime = options.DrainTime;
        _queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _raised = meter.Meter.CreateCounter<long>("analyticshub.alerts.raised", "{alert}", "Alerts the hub raised for the host's sinks, by kind and severity.");
        _dropped = meter.Meter.CreateCounter<long>("analyticshub.alerts.dropped", "{alert}", "Alerts dropped because the alert queue was full (a slow sink).");
        _failures = meter.Meter.CreateCounter<long>("analyticshub.alerts.sink_failures", "{alert}", "Alert deliveries whose sink threw.");
    }

    /// <summary>How long <see cref="DrainAsync"/> waits when a stage completes.</summary>
    public TimeSpan DrainTime { get; }

    /// <summary>Alerts raised.</summary>
    public long Raised => Interlocked.Read(ref _raisedCount);

    /// <summary>Alerts dropped at a full queue.</summary>
    public long Dropped => Interlocked.Read(ref _droppedCount);

    /// <summary>Deliveries whose sink threw.</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>Queues an alert without waiting; false (and counted) when the queue is full or there is no sink.</summary>
    public bool Offer(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var kind = new KeyValuePair<string, object?>("kind", KindNames[(int)alert.Kind]);
        var severity = new KeyValuePair<string, object?>("severity", alert.SeverityName);
        Interlocked.Increment(ref _raisedCount);
        _raised.Add(1, kind, severity);
        if (_sinks.Length == 0)
        {
            return false;
        }

        lock (_gate)
        {
            _worker ??= Task.Run(DeliverAsync);
        }

        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(alert))
        {
            return true;
        }

        Delivered();
        Interlocked.Increment(ref _droppedCount);
        _dropped.Add(1, kind, severity);
        return false;
    }

    /// <summary>Waits up to <paramref name="drainTime"/> until every alert offered before the call was delivered (or failed); the queue stays open.</summary>
    public async ValueTask DrainAsync(TimeSpan drainTime)
    {
        Task idle;
        lock (_gate)
        {
            if (Interlocked.Read(ref _pending) == 0)
            {
                return;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(drainTime).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A sink slower than the drain time: its alerts stay queued until the hub is disposed.
        }
    }

    /// <summary>Stops delivering: alerts still queued are dropped, a sink call in progress is cancelled (waited for up to a second).</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        if (_worker is { } worker)
        {
            ((IAsyncResult)worker).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(1));
        }

        if (_worker is null || _worker.IsCompleted)
        {
            _stopping.Dispose();
        }
    }

    private void Delivered()
    {
        if (Interlocked.Decrement(ref _pending) != 0)
        {
            return;
        }

        lock (_gate)
        {
            if (Interlocked.Read(ref _pending) == 0)
            {
                _idle?.TrySetResult();
                _idle = null;
            }
        }
    }

    private async Task DeliverAsync()
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                foreach (var sink in _sinks)
                {
                    try
                    {
                        await sink.SendAsync(alert, _stopping.Token).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // A host's sink may throw anything; it is counted and the next alert still goes out.
                    catch (Exception) when (!_stopping.IsCancellationRequested)
#pragma warning restore CA1031
                    {
                        Interlocked.Increment(ref _sinkFailures);
                        _failures.Add(1, new KeyValuePair<string, object?>("kind", KindNames[(int)alert.Kind]));
                    }
                }

                Delivered();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }
}
