using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Correlation.Alerts;

/// <summary>
/// Hands alerts to the host's <see cref="IAlertSink"/>s off the ingestion path: a bounded queue that never blocks the
/// writer (a full queue drops the new alert and counts it) and one background task that calls the sinks in order.
/// </summary>
internal sealed class AlertDispatcher : IDisposable
{
    private readonly IAlertSink[] _sinks;
    private readonly Channel<CorrelationAlert> _queue;
    private readonly Counter<long> _raised;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _failures;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _worker;

    public AlertDispatcher(IEnumerable<IAlertSink> sinks, int capacity, HubMeter meter)
    {
        _sinks = [.. sinks];
        _queue = Channel.CreateBounded<CorrelationAlert>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _raised = meter.Meter.CreateCounter<long>("analyticshub.correlation.alerts", "{alert}", "Alerts the correlation stage raised, by severity.");
        _dropped = meter.Meter.CreateCounter<long>("analyticshub.correlation.alerts_dropped", "{alert}", "Alerts dropped because the alert queue was full (a slow sink).");
        _failures = meter.Meter.CreateCounter<long>("analyticshub.correlation.alert_sink_failures", "{alert}", "Alert deliveries whose sink threw.");
    }

    /// <summary>Alerts raised.</summary>
    public long Raised { get; private set; }

    /// <summary>Alerts dropped at a full queue.</summary>
    public long Dropped { get; private set; }

    /// <summary>Deliveries whose sink threw.</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    private long _sinkFailures;

    /// <summary>Queues an alert without waiting; false (and counted) when the queue is full or there is no sink.</summary>
    public bool Offer(CorrelationAlert alert)
    {
        var severity = new KeyValuePair<string, object?>("severity", alert.Severity.ToString().ToLowerInvariant());
        Raised++;
        _raised.Add(1, severity);
        if (_sinks.Length == 0)
        {
            return false;
        }

        _worker ??= Task.Run(DeliverAsync);
        if (_queue.Writer.TryWrite(alert))
        {
            return true;
        }

        Dropped++;
        _dropped.Add(1, severity);
        return false;
    }

    /// <summary>Stops taking alerts and waits up to <paramref name="drainTime"/> for the queued ones to be delivered.</summary>
    public async ValueTask CompleteAsync(TimeSpan drainTime)
    {
        _queue.Writer.TryComplete();
        if (_worker is { } worker)
        {
            try
            {
                await worker.WaitAsync(drainTime).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await _stopping.CancelAsync().ConfigureAwait(false);
            }
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
                        _failures.Add(1);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }
}
