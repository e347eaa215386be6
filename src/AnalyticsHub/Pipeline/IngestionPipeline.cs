using System.Diagnostics;
using System.Threading.Channels;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// The bounded queue between callers and the stores: one reader loop batches accepted events,
/// appends them to the event store, passes the newly stored ones through every stage, feeds
/// derived events back in, and settles each item's outcome.
/// </summary>
/// <remarks>
/// Writers never block on processing, only on a full queue (per <see cref="BackpressureMode"/>).
/// One reader means stages see batches one at a time, in order. Shutdown completes the queue,
/// drains it for up to <see cref="IngestionOptions.ShutdownTimeout"/>, then fails what is left
/// with a reason, so every accepted item gets an outcome.
/// </remarks>
internal sealed class IngestionPipeline : IAsyncDisposable
{
    private readonly IEventStore _store;
    private readonly StageNode[] _stages;
    private readonly IngestionOptions _options;
    private readonly PipelineTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Channel<WorkItem> _channel;
    private readonly CancellationTokenSource _abort = new();
    private readonly List<AnalyticsEvent> _derived = [];
    private readonly Task _loop;
    private int _stopped;

    public IngestionPipeline(
        IEventStore store,
        IEnumerable<IIngestionStage> stages,
        IReadOnlyCollection<string> disabledStages,
        IngestionOptions options,
        PipelineTelemetry telemetry,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _store = store;
        _stages = [.. StageGraph.Order(stages, disabledStages, logger)];
        _options = options;
        _telemetry = telemetry;
        _timeProvider = timeProvider;
        _logger = logger;
        _channel = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    public int QueueDepth => _channel.Reader.CanCount ? _channel.Reader.Count : 0;

    /// <summary>The enabled stages' names, in the order they run.</summary>
    public IReadOnlyList<string> StageNames => Array.ConvertAll(_stages, s => s.Name);

    /// <summary>The enabled stages, in the order they run.</summary>
    public IEnumerable<IIngestionStage> Stages => _stages.Select(node => node.Stage);

    /// <summary>Offers one accepted event to the queue; the answer is accepted, refused or dropped.</summary>
    public async ValueTask<EventItemStatus> OfferAsync(AnalyticsEvent evt, BatchTracker tracker, int index, CancellationToken cancellationToken)
    {
        var item = new WorkItem(evt, tracker, index, null);
        if (_channel.Writer.TryWrite(item))
        {
            return EventItemStatus.Accepted;
        }

        if (Volatile.Read(ref _stopped) != 0)
        {
            return EventItemStatus.Refused;
        }

        switch (_options.Backpressure)
        {
            case BackpressureMode.DropNewest:
                return EventItemStatus.Dropped;
            case BackpressureMode.Refuse:
                return EventItemStatus.Refused;
            default:
                using (var timeout = new CancellationTokenSource(_options.WaitTimeout, _timeProvider))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
                {
                    try
                    {
                        await _channel.Writer.WriteAsync(item, linked.Token).ConfigureAwait(false);
                        return EventItemStatus.Accepted;
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        return EventItemStatus.Refused;
                    }
                    catch (ChannelClosedException)
                    {
                        return EventItemStatus.Refused;
                    }
                }
        }
    }

    /// <summary>Completes when everything queued before the call, and all it derived, has been processed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new WorkItem(null, null, 0, signal), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking events, drains the queue for up to <paramref name="timeout"/>, and reports what it could not finish.</summary>
    /// <returns>How many accepted events were failed because the drain ran out of time.</returns>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await _loop.ConfigureAwait(false);
            return 0;
        }

        _channel.Writer.TryComplete();
        using var deadline = new CancellationTokenSource(timeout, _timeProvider);
        try
        {
            await _loop.WaitAsync(deadline.Token).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            var unfinished = FailRemaining("The hub stopped before this event was processed.");
            PipelineLog.ShutdownIncomplete(_logger, unfinished, timeout);
            return unfinished;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<WorkItem>(_options.MaxBatchSize);
        var flushes = new List<TaskCompletionSource>();
        try
        {
            while (await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                await FillAsync(reader, batch, flushes).ConfigureAwait(false);
                await ProcessAsync(batch).ConfigureAwait(false);
                batch.Clear();
                await ProcessDerivedAsync().ConfigureAwait(false);
                foreach (var flush in flushes)
                {
                    flush.TrySetResult();
                }

                flushes.Clear();
            }

            await CompleteStagesAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // StopAsync ran out of time; it fails what is left.
            FailBatch(batch, "The hub stopped before this event was processed.");
        }
        finally
        {
            foreach (var flush in flushes)
            {
                flush.TrySetResult();
            }
        }
    }

    /// <summary>Takes up to a batch of items; stops early at a flush marker so the flush sees its batch done.</summary>
    private async ValueTask FillAsync(ChannelReader<WorkItem> reader, List<WorkItem> batch, List<TaskCompletionSource> flushes)
    {
        while (true)
        {
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                if (item.Flush is { } flush)
                {
                    flushes.Add(flush);
                    return;
                }

                batch.Add(item);
            }

            if (batch.Count >= _options.MaxBatchSize || _options.MaxBatchDelay <= TimeSpan.Zero || batch.Count == 0)
            {
                return;
            }

            using var wait = new CancellationTokenSource(_options.MaxBatchDelay, _timeProvider);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ProcessAsync(List<WorkItem> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        using var activity = HubMeter.ActivitySource.StartActivity("AnalyticsHub.ProcessBatch");
        activity?.SetTag("analyticshub.batch.size", batch.Count);

        var events = new AnalyticsEvent[batch.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = batch[i].Event!;
        }

        var (appended, error) = await WithRetriesAsync("event_store", events.Length, ct => _store.AppendAsync(events, ct)).ConfigureAwait(false);
        if (appended is null)
        {
            FailBatch(batch, "The event store failed: " + error!.Message);
            return;
        }

        var stored = new List<AnalyticsEvent>(events.Length);
        for (var i = 0; i < events.Length; i++)
        {
            if (appended[i] == AppendItemStatus.Appended)
            {
                stored.Add(events[i]);
            }
        }

        try
        {
            if (stored.Count > 0)
            {
                await RunStagesAsync(stored).ConfigureAwait(false);
            }
        }
        finally
        {
            // The events are stored whether or not every stage saw them (a stop can cut the stages short).
            Settle(batch, appended);
        }
    }

    /// <summary>Counts, then completes, the items of an appended batch; the caller's list is emptied.</summary>
    private void Settle(List<WorkItem> batch, AppendResult appended)
    {
        int storedCallers = 0, duplicates = 0, derived = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var isNew = appended[i] == AppendItemStatus.Appended;
            if (batch[i].Tracker is null)
            {
                derived += isNew ? 1 : 0;
            }
            else if (isNew)
            {
                storedCallers++;
            }
            else
            {
                duplicates++;
            }
        }

        // Counted before completing, so a caller that awaits its completion sees the statistics settled.
        _telemetry.Stored(storedCallers);
        _telemetry.Duplicates(duplicates);
        _telemetry.Derived(derived);
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            item.Tracker?.Complete(item.Index, appended[i] == AppendItemStatus.Appended ? EventItemStatus.Stored : EventItemStatus.Duplicate, null);
        }

        batch.Clear();
    }

    private async Task RunStagesAsync(List<AnalyticsEvent> stored)
    {
        var batch = new IngestionBatch(stored);
        foreach (var stage in _stages)
        {
            var start = Stopwatch.GetTimestamp();
            batch.Stage = stage;
            var (done, _) = await WithRetriesAsync(stage.Name, stored.Count, async ct =>
            {
                await stage.Stage.ProcessAsync(batch, ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            batch.Stage = null;
            _telemetry.StageDuration(stage.Name, start);
            if (!done)
            {
                _telemetry.StageFailed(stage.Name);
            }
        }

        _derived.AddRange(batch.Derived);
    }

    /// <summary>The queue is drained and closed: each stage finishes what it keeps open, and what that derives still goes through.</summary>
    private async Task CompleteStagesAsync()
    {
        var batch = new IngestionBatch([]);
        foreach (var stage in _stages)
        {
            batch.Stage = stage;
            var (done, _) = await WithRetriesAsync(stage.Name, 0, async ct =>
            {
                await stage.Stage.CompleteAsync(batch, ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            batch.Stage = null;
            if (!done)
            {
                _telemetry.StageFailed(stage.Name);
            }
        }

        _derived.AddRange(batch.Derived);
        await ProcessDerivedAsync().ConfigureAwait(false);
    }

    /// <summary>Derived events re-enter the flow: stored, then through every stage, until none are left.</summary>
    private async Task ProcessDerivedAsync()
    {
        while (_derived.Count > 0)
        {
            var round = new List<WorkItem>(_derived.Count);
            foreach (var evt in _derived)
            {
                round.Add(new WorkItem(evt, null, 0, null));
            }

            _derived.Clear();
            for (var start = 0; start < round.Count; start += _options.MaxBatchSize)
            {
                await ProcessAsync(round.GetRange(start, Math.Min(_options.MaxBatchSize, round.Count - start))).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs a step, retrying with exponential backoff; a step that still fails is logged and returned as an error.</summary>
    private async Task<(T? Result, Exception? Error)> WithRetriesAsync<T>(string step, int count, Func<CancellationToken, ValueTask<T>> action)
    {
        var attempts = _options.MaxRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await action(_abort.Token).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_abort.IsCancellationRequested)
            {
                // A store or stage may fail in any way; the pipeline must survive it and report it.
                if (attempt >= attempts)
                {
                    PipelineLog.StepFailed(_logger, step, count, attempts, ex);
                    return (default, ex);
                }

                var delay = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
                PipelineLog.StepRetrying(_logger, step, attempt, attempts, delay, ex);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _timeProvider, _abort.Token).ConfigureAwait(false);
                }
            }
        }
    }

    private void FailBatch(List<WorkItem> batch, string reason)
    {
        var failed = 0;
        foreach (var item in batch)
        {
            failed += item.Tracker is null ? 0 : 1;
        }

        _telemetry.Failed(failed);
        foreach (var item in batch)
        {
            item.Tracker?.Complete(item.Index, EventItemStatus.Failed, reason);
        }

        batch.Clear();
    }

    private int FailRemaining(string reason)
    {
        var left = new List<WorkItem>();
        while (_channel.Reader.TryRead(out var item))
        {
            if (item.Flush is { } flush)
            {
                flush.TrySetResult();
            }
            else if (item.Tracker is not null)
            {
                left.Add(item);
            }
        }

        var count = left.Count;
        FailBatch(left, reason);
        return count;
    }

    private readonly record struct WorkItem(AnalyticsEvent? Event, BatchTracker? Tracker, int Index, TaskCompletionSource? Flush);
}
