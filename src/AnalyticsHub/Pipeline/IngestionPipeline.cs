using System.Diagnostics;
using System.Threading.Channels;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// The bounded queue between callers and the stores: one reader loop batches accepted events,
/// appends them to the event store, passes the newly stored ones through every stage, feeds
/// derived events back in, and settles each item's outcome.
/// </summary>
/// <remarks>
/// Besides events, the queue carries <em>records</em> (<see cref="OfferRecordAsync"/>): items that have no event store
/// of their own, such as the time-series points of ingested metrics. They share the events' queue, batches,
/// backpressure, accounting and flush, skip the event store, and reach the stages on
/// <see cref="IngestionBatch.Records"/>; a record counts as stored once its batch has gone to the stages.
/// </remarks>
/// <remarks>
/// <para>
/// Nothing runs until <see cref="Start"/>. Writers never block on processing, only on a full queue (per
/// <see cref="BackpressureMode"/>). One reader means stages see batches one at a time, in order; the stages of different
/// lanes (<see cref="StageGraph.Lanes"/>) run at the same time on a batch, and the next batch waits for all. The store and each
/// stage run through a Polly pipeline (<see cref="PipelineResilience"/>): a time limit, capped retries with jitter,
/// and for stages a circuit breaker.
/// </para>
/// <para>
/// Shutdown completes the queue and drains it until its timeout or its token, whichever comes first. Then it stops
/// waiting, whether or not the store or a stage honours cancellation: it fails what is queued and the batch the store
/// still holds (with a reason), settles a batch already stored, and returns. Every accepted item gets exactly one
/// outcome: whoever takes an item out of the queue owns it, and the batch in flight changes hands under a lock, so a
/// store call that finishes after its items were failed is logged and not counted again.
/// </para>
/// </remarks>
internal sealed class IngestionPipeline : IAsyncDisposable
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Stopped = 2;
    private const string StoppedReason = "The hub stopped before this event was processed.";
    private const string StoreHungReason = "The hub stopped while the event store was still writing this event's batch; the store may still have stored it.";

    private readonly IEventStore _store;
    private readonly StageNode[] _stages;

    // The stages' indexes by lane: lanes run at the same time on a batch, each lane's stages one after the other.
    private readonly int[][] _lanes;

    // The stages that hold part of a batch back until its derived events are in (IWaitsForDerivedEvents), by index,
    // and the batch without events their calls emit into (the reader's alone, reused).
    private readonly int[] _waitingStages;
    private readonly IngestionBatch _afterDerived = new([]);
    private readonly ResiliencePipeline[] _stageResilience;
    private readonly ResiliencePipeline _storeResilience;
    private readonly IngestionOptions _options;
    private readonly PipelineTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Channel<WorkItem> _channel;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<AnalyticsEvent> _derived = [];
    private readonly Lock _lifecycle = new();
    private readonly Lock _settleGate = new();
    private Task _loop = Task.CompletedTask;
    private Task<int>? _stop;
    private int _state;

    // The batch between its registration and its settlement, and what the store answered; guarded by _settleGate.
    private List<WorkItem>? _inFlight;
    private StoreOutcome? _inFlightAppended;
    private bool _isAbandoned;

    // The stages running now (by index; lanes run several at once), for the log line of a stop that gives up on them.
    private readonly bool[] _runningStages;

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
        _runningStages = new bool[_stages.Length];
        _lanes = StageGraph.Plan(_stages, options.ConcurrentStages, Environment.ProcessorCount);
        _waitingStages = [.. Enumerable.Range(0, _stages.Length).Where(i => _stages[i].Stage is IWaitsForDerivedEvents)];
        _options = options;
        _telemetry = telemetry;
        _timeProvider = timeProvider;
        _logger = logger;
        _storeResilience = PipelineResilience.ForStore(options, telemetry, timeProvider, logger);
        _stageResilience = Array.ConvertAll(_stages, stage => PipelineResilience.ForStage(stage.Name, options, telemetry, timeProvider, logger));

        // Stop drains the queue from its own thread while the loop may still hold it, so the channel has two readers.
        _channel = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int QueueDepth => _channel.Reader.CanCount ? _channel.Reader.Count : 0;

    /// <summary>Whether <see cref="Start"/> has run and no stop has begun.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>Whether a stop has begun (the pipeline then refuses new items).</summary>
    public bool IsStopped => Volatile.Read(ref _state) == Stopped;

    /// <summary>The enabled stages' names, in the order they run.</summary>
    public IReadOnlyList<string> StageNames => Array.ConvertAll(_stages, s => s.Name);

    /// <summary>The enabled stages, in the order they run.</summary>
    public IEnumerable<IIngestionStage> Stages => _stages.Select(node => node.Stage);

    /// <summary>Starts the reader loop; a second call does nothing.</summary>
    /// <returns>True when this call started it.</returns>
    /// <exception cref="InvalidOperationException">The pipeline was stopped; it cannot start again.</exception>
    public bool Start()
    {
        lock (_lifecycle)
        {
            switch (_state)
            {
                case Running:
                    return false;
                case Stopped:
                    throw new InvalidOperationException("The analytics hub was stopped and cannot be started again; build a new one.");
                default:
                    _loop = Task.Run(RunAsync);
                    Volatile.Write(ref _state, Running);
                    return true;
            }
        }
    }

    /// <summary>Offers one accepted event to the queue; the answer is accepted, refused or dropped.</summary>
    public ValueTask<EventItemStatus> OfferAsync(AnalyticsEvent evt, BatchTracker tracker, int index, CancellationToken cancellationToken) =>
        OfferAsync(new WorkItem(evt, null, tracker, index, null), cancellationToken);

    /// <summary>
    /// Offers one accepted record (an item with no event store, e.g. an ingested metric's point) to the queue, with the
    /// same backpressure as an event; the answer is accepted, refused or dropped.
    /// </summary>
    public ValueTask<EventItemStatus> OfferRecordAsync(object record, BatchTracker tracker, int index, CancellationToken cancellationToken) =>
        OfferAsync(new WorkItem(null, record, tracker, index, null), cancellationToken);

    private async ValueTask<EventItemStatus> OfferAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (_channel.Writer.TryWrite(item))
        {
            return EventItemStatus.Accepted;
        }

        if (Volatile.Read(ref _state) == Stopped)
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

    /// <summary>Completes when everything queued before the call, and all it derived, has been processed (or a stop gave up on it).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) == Created)
        {
            // Nothing can have been accepted before the start.
            return;
        }

        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new WorkItem(null, null, null, 0, signal), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await Task.WhenAny(_loop, _abandoned.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await Task.WhenAny(signal.Task, _abandoned.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops taking events and drains the queue until <paramref name="timeout"/> passes or
    /// <paramref name="cancellationToken"/> fires, then fails what it could not finish. Returns within that bound even
    /// when the store or a stage ignores cancellation. Every call returns the first call's task.
    /// </summary>
    /// <returns>How many accepted events were failed because the drain ran out of time.</returns>
    public Task<int> StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            return _stop ??= StopCoreAsync(timeout, cancellationToken);
        }
    }

    /// <summary>Stops at once without draining: what is queued or in flight is failed with a reason. Does not wait.</summary>
    public int Abort()
    {
        var stopping = StopAsync(TimeSpan.Zero, CancellationToken.None);
        return stopping.IsCompletedSuccessfully ? stopping.Result : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_options.ShutdownTimeout, CancellationToken.None).ConfigureAwait(false);
        if (_loop.IsCompleted)
        {
            // A loop still stuck in a store or stage call keeps using the token; it is then left to the finalizer.
            _abort.Dispose();
        }
    }

    private async Task<int> StopCoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var wasRunning = _state == Running;
        Volatile.Write(ref _state, Stopped);
        _channel.Writer.TryComplete();
        if (!wasRunning)
        {
            // Never started: ingest refused every item, so the queue is empty.
            _abandoned.TrySetResult();
            return 0;
        }

        if (timeout > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
        {
            using var deadline = new CancellationTokenSource(timeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            try
            {
                await _loop.WaitAsync(linked.Token).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                // Out of time: fall through and give up on what is left.
            }
        }
        else if (_loop.IsCompleted)
        {
            return 0;
        }

        return Abandon(timeout);
    }

    /// <summary>Takes the batch in flight from the loop, cancels the loop's work, fails the queue, and releases every flush.</summary>
    private int Abandon(TimeSpan timeout)
    {
        var failed = 0;
        lock (_settleGate)
        {
            _isAbandoned = true;
            if (_inFlight is { } batch)
            {
                if (_inFlightAppended is { } appended)
                {
                    // Stored already; a stage is what is still running.
                    Settle(batch, appended);
                }
                else
                {
                    failed += FailBatch(batch, StoreHungReason, PipelineTelemetry.ShutdownTimeout);
                }

                _inFlight = null;
            }

            for (var i = 0; i < _runningStages.Length; i++)
            {
                if (Volatile.Read(ref _runningStages[i]))
                {
                    PipelineLog.StageAbandoned(_logger, _stages[i].Name);
                }
            }
        }

        // After the hand-over, so a store or stage that honours its token and returns at once finds its batch taken.
        _abort.Cancel();
        failed += FailRemaining();
        _abandoned.TrySetResult();
        if (failed > 0)
        {
            PipelineLog.ShutdownIncomplete(_logger, failed, timeout);
        }

        return failed;
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

                // A read that held only flush requests has no batch whose derived events a stage could wait for.
                if (batch.Count > 0)
                {
                    await ProcessAsync(batch).ConfigureAwait(false);
                    batch.Clear();
                    await ProcessDerivedAsync().ConfigureAwait(false);
                    await ProcessAfterDerivedAsync().ConfigureAwait(false);
                }
                foreach (var flush in flushes)
                {
                    flush.TrySetResult();
                }

                flushes.Clear();
                if (_abort.IsCancellationRequested)
                {
                    return;
                }
            }

            await CompleteStagesAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // The stop ran out of time and gave up on what was in flight and queued.
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

    /// <summary>Stores a batch, runs the stages on what is new, and settles every item exactly once.</summary>
    private async Task ProcessAsync(List<WorkItem> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        lock (_settleGate)
        {
            if (_isAbandoned)
            {
                // Taken from the queue after the stop gave up: nobody else will settle these.
                FailBatch(batch, StoppedReason, PipelineTelemetry.ShutdownTimeout);
                return;
            }

            _inFlight = batch;
            _inFlightAppended = null;
        }

        using var activity = HubMeter.ActivitySource.StartActivity("AnalyticsHub.ProcessBatch");
        activity?.SetTag("analyticshub.batch.size", batch.Count);

        // Events go to the store first; records have no store of their own and go straight to the stages.
        var eventCount = 0;
        foreach (var item in batch)
        {
            eventCount += item.Event is null ? 0 : 1;
        }

        var events = new AnalyticsEvent[eventCount];
        var records = new List<object>(batch.Count - eventCount);
        var e = 0;
        foreach (var item in batch)
        {
            if (item.Event is { } evt)
            {
                events[e++] = evt;
            }
            else
            {
                records.Add(item.Record!);
            }
        }

        var outcome = events.Length == 0 ? StoreOutcome.None : await StoreAsync(events).ConfigureAwait(false);
        if (outcome.BatchError is { } error)
        {
            var errorType = PipelineResilience.ErrorType(error);
            var cancelled = error is OperationCanceledException && _abort.IsCancellationRequested;
            if (!cancelled)
            {
                PipelineLog.StepFailed(_logger, PipelineTelemetry.EventStoreStep, events.Length, errorType, error);
                _telemetry.StoreFailed(errorType);
                MarkFailed(activity, "The event store failed.", errorType, error);
            }

            lock (_settleGate)
            {
                if (!ReferenceEquals(_inFlight, batch))
                {
                    return;
                }

                var failedEvents = batch.FindAll(static item => item.Event is not null);
                FailBatch(failedEvents, cancelled ? StoppedReason : StoreFailureReason(error), cancelled ? PipelineTelemetry.ShutdownTimeout : errorType);
                if (records.Count == 0 || cancelled)
                {
                    // A stop that cut the store short fails the records with the events: the loop stops here.
                    FailBatch(batch.FindAll(static item => item.Event is null), StoppedReason, PipelineTelemetry.ShutdownTimeout);
                    _inFlight = null;
                    return;
                }

                // The records do not depend on the event store: they still go to the stages.
                batch = batch.FindAll(static item => item.Event is null);
                _inFlight = batch;
            }

            events = [];
            outcome = StoreOutcome.None;
        }
        else if (events.Length > 0)
        {
            _telemetry.StoreSucceeded();
        }

        lock (_settleGate)
        {
            if (!ReferenceEquals(_inFlight, batch))
            {
                // The stop failed these while the store was still writing; the store finished anyway.
                PipelineLog.LateStoreCompletion(_logger, events.Length, outcome.NewCount);
                return;
            }

            _inFlightAppended = outcome;
        }

        // Usually every event is new: the stages then read the batch's array itself.
        IReadOnlyList<AnalyticsEvent> stored = events;
        if (outcome.NewCount < events.Length)
        {
            var news = new List<AnalyticsEvent>(outcome.NewCount);
            for (var i = 0; i < events.Length; i++)
            {
                if (outcome.IsNew(i))
                {
                    news.Add(events[i]);
                }
            }

            stored = news;
        }

        try
        {
            if (stored.Count > 0 || records.Count > 0)
            {
                await RunStagesAsync(stored, records, activity).ConfigureAwait(false);
            }
        }
        finally
        {
            // The events are stored whether or not every stage saw them (a stop can cut the stages short); the records
            // count as stored once their batch went to the stages.
            lock (_settleGate)
            {
                if (ReferenceEquals(_inFlight, batch))
                {
                    Settle(batch, outcome);
                    _inFlight = null;
                }
            }
        }
    }

    private static string StoreFailureReason(Exception error) => error is Polly.Timeout.TimeoutRejectedException
        ? "The event store did not succeed within the retry time limit (Ingestion.MaxRetryTime)."
        : "The event store failed: " + error.Message;

    private static void MarkFailed(Activity? activity, string description, string errorType, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, description);
        activity.SetTag(PipelineTelemetry.ErrorTypeTag, errorType);
        activity.AddException(error);
    }

    /// <summary>
    /// Stores a batch as one write (one write id for every retry and part, so a write whose answer was lost is
    /// recognised). A permanent failure (<see cref="PipelineResilience.IsTransient"/>) splits the batch in halves until
    /// the events the store refuses are alone: they fail, the rest is stored. At most 2n - 1 store calls for n events.
    /// </summary>
    private async ValueTask<StoreOutcome> StoreAsync(AnalyticsEvent[] events)
    {
        var writeId = Guid.NewGuid();
        var outcome = new StoreOutcome(events.Length);
        var first = await AppendAsync(events, writeId).ConfigureAwait(false);
        if (first.Exception is null)
        {
            outcome.Take(0, first.Result!);
            return outcome;
        }

        if (PipelineResilience.IsTransient(first.Exception) || _abort.IsCancellationRequested)
        {
            outcome.BatchError = first.Exception;
            return outcome;
        }

        // Permanent: some events are poison. Halve until each refused event is alone; the store works for the rest.
        var parts = new Stack<(int Start, int Count)>();
        var errors = new Dictionary<(int, int), Exception> { [(0, events.Length)] = first.Exception };
        parts.Push((0, events.Length));
        while (parts.Count > 0 && !_abort.IsCancellationRequested)
        {
            var (start, count) = parts.Pop();
            Exception? error;
            if (errors.Remove((start, count), out var known))
            {
                error = known;
            }
            else
            {
                var result = await AppendAsync(new ArraySegment<AnalyticsEvent>(events, start, count), writeId).ConfigureAwait(false);
                if (result.Exception is null)
                {
                    outcome.Take(start, result.Result!);
                    continue;
                }

                error = result.Exception;
            }

            if (count > 1 && !PipelineResilience.IsTransient(error))
            {
                var half = count / 2;
                parts.Push((start + half, count - half));
                parts.Push((start, half));
                continue;
            }

            outcome.Fail(start, count, error);
            PipelineLog.StepFailed(_logger, PipelineTelemetry.EventStoreStep, count, PipelineResilience.ErrorType(error), error);
        }

        while (parts.Count > 0)
        {
            // A stop cut the isolation short: what was not tried again fails with the stop's reason.
            var (start, count) = parts.Pop();
            outcome.Fail(start, count, new OperationCanceledException(StoppedReason));
        }

        return outcome;
    }

    private async ValueTask<Outcome<AppendResult>> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId)
    {
        var context = ResilienceContextPool.Shared.Get(_abort.Token);
        try
        {
            return await _storeResilience.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Store.AppendAsync(state.Events, state.WriteId, context.CancellationToken).ConfigureAwait(false));
                    }
#pragma warning disable CA1031 // A store may fail in any way; the pipeline must survive it and report it.
                    catch (Exception exception)
#pragma warning restore CA1031
                    {
                        return Outcome.FromException<AppendResult>(exception);
                    }
                },
                context,
                (Store: _store, Events: events, WriteId: writeId)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Runs one stage step (a batch, the step after its derived events, or the completion) through the stage's resilience pipeline.</summary>
    private async ValueTask<Outcome<bool>> RunStageAsync(int index, IngestionBatch batch, StageStep step)
    {
        var context = ResilienceContextPool.Shared.Get(_abort.Token);
        try
        {
            return await _stageResilience[index].ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    try
                    {
                        switch (state.Step)
                        {
                            case StageStep.Complete:
                                await state.Stage.CompleteAsync(state.Batch, context.CancellationToken).ConfigureAwait(false);
                                break;
                            case StageStep.AfterDerived:
                                await ((IWaitsForDerivedEvents)state.Stage).ProcessAfterDerivedAsync(state.Batch, context.CancellationToken).ConfigureAwait(false);
                                break;
                            default:
                                await state.Stage.ProcessAsync(state.Batch, context.CancellationToken).ConfigureAwait(false);
                                break;
                        }

                        return Outcome.FromResult(true);
                    }
#pragma warning disable CA1031 // A stage may fail in any way; the pipeline must survive it and report it.
                    catch (Exception exception)
#pragma warning restore CA1031
                    {
                        return Outcome.FromException<bool>(exception);
                    }
                },
                context,
                (Stage: _stages[index].Stage, Batch: batch, Step: step)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Counts, then completes, the items of an appended batch (the events index for index with
    /// <paramref name="outcome"/>, the records as stored); called under <see cref="_settleGate"/>.
    /// </summary>
    private void Settle(List<WorkItem> batch, StoreOutcome outcome)
    {
        int storedCallers = 0, duplicates = 0, derived = 0;
        for (int i = 0, e = 0; i < batch.Count; i++)
        {
            if (batch[i].Event is null)
            {
                storedCallers++;
                continue;
            }

            if (outcome.ErrorOf(e) is { } error)
            {
                _telemetry.Failed(batch[i].Tracker is null ? 0 : 1, PipelineResilience.ErrorType(error));
                e++;
                continue;
            }

            var isNew = outcome.IsNew(e++);
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
        for (int i = 0, e = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            if (item.Event is null)
            {
                item.Tracker?.Complete(item.Index, EventItemStatus.Stored, null);
            }
            else if (outcome.ErrorOf(e) is { } error)
            {
                item.Tracker?.Complete(item.Index, EventItemStatus.Failed, error is OperationCanceledException ? StoppedReason : "The event store refused this event: " + error.Message);
                e++;
            }
            else
            {
                item.Tracker?.Complete(item.Index, outcome.IsNew(e++) ? EventItemStatus.Stored : EventItemStatus.Duplicate, null);
            }
        }
    }

    /// <summary>What the store did with each event of a batch: its append status, or the error that failed it alone.</summary>
    private sealed class StoreOutcome(int count)
    {
        /// <summary>The outcome of a batch without events (records only): nothing to store.</summary>
        public static readonly StoreOutcome None = new(0);

        private readonly AppendItemStatus[] _statuses = new AppendItemStatus[count];
        private Exception?[]? _errors;

        /// <summary>Set when the whole batch failed (transiently, or as a single event): nothing was stored by this write.</summary>
        public Exception? BatchError { get; set; }

        public int NewCount { get; private set; }

        public void Take(int start, AppendResult result)
        {
            for (var i = 0; i < result.Count; i++)
            {
                _statuses[start + i] = result[i];
                NewCount += result.IsNew(i) ? 1 : 0;
            }
        }

        public void Fail(int start, int length, Exception error)
        {
            _errors ??= new Exception?[_statuses.Length];
            Array.Fill(_errors, error, start, length);
        }

        public Exception? ErrorOf(int index) => _errors?[index];

        public bool IsNew(int index) => _errors?[index] is null && _statuses[index] != AppendItemStatus.Duplicate;
    }

    private async Task RunStagesAsync(IReadOnlyList<AnalyticsEvent> stored, List<object> records, Activity? activity)
    {
        var batch = new IngestionBatch(stored, records);
        var count = stored.Count + records.Count;
        var failures = new (string? ErrorType, Exception? Error)[_stages.Length];
        if (_lanes.Length == 1)
        {
            await RunLaneAsync(_lanes[0], batch, count, failures, null).ConfigureAwait(false);
            batch.TakeDerived(_derived);
        }
        else
        {
            // Each lane on its own view of the batch; what the lanes emit is put back in pipeline order, stage by stage.
            var emitted = new List<AnalyticsEvent>?[_stages.Length];
            var others = new Task[_lanes.Length - 1];
            for (var l = 1; l < _lanes.Length; l++)
            {
                var lane = _lanes[l];
                others[l - 1] = Task.Run(() => RunLaneAsync(lane, new IngestionBatch(batch), count, failures, emitted));
            }

            await RunLaneAsync(_lanes[0], new IngestionBatch(batch), count, failures, emitted).ConfigureAwait(false);
            await Task.WhenAll(others).ConfigureAwait(false);
            foreach (var events in emitted)
            {
                if (events is not null)
                {
                    _derived.AddRange(events);
                }
            }
        }

        // Every lane is done with the batch: its hand-offs' memory may serve the next one (not on a throw above, when a
        // lane may still be running: the values are then simply left to the collector).
        batch.ReleaseHandOffs();

        for (var i = 0; i < failures.Length; i++)
        {
            if (failures[i].ErrorType is { } errorType)
            {
                MarkFailed(activity, "Stage " + _stages[i].Name + " failed.", errorType, failures[i].Error!);
            }
        }
    }

    /// <summary>
    /// Runs one lane's stages in turn on <paramref name="batch"/>; with <paramref name="emitted"/>, moves what each stage
    /// emits to its slot there, and records each stage's failure in <paramref name="failures"/>.
    /// </summary>
    private async Task RunLaneAsync(int[] lane, IngestionBatch batch, int count, (string?, Exception?)[] failures, List<AnalyticsEvent>?[]? emitted)
    {
        foreach (var i in lane)
        {
            if (_abort.IsCancellationRequested)
            {
                return;
            }

            var stage = _stages[i];
            var start = Stopwatch.GetTimestamp();
            var outcome = await RunStepAsync(i, batch, StageStep.Process).ConfigureAwait(false);
            if (emitted is not null)
            {
                batch.TakeDerived(emitted[i] = []);
            }

            if (outcome.Exception is BrokenCircuitException)
            {
                _telemetry.StageSkipped(stage.Name);
                continue;
            }

            var errorType = StageError(stage.Name, count, outcome.Exception);
            _telemetry.StageDuration(stage.Name, start, errorType);
            failures[i] = (errorType, outcome.Exception);
        }
    }

    /// <summary>Reports a stage step that gave up; returns its <c>error.type</c>, or null when it succeeded or was cancelled by a stop.</summary>
    private string? StageError(string stage, int count, Exception? error)
    {
        if (error is null || (error is OperationCanceledException && _abort.IsCancellationRequested))
        {
            return null;
        }

        var errorType = PipelineResilience.ErrorType(error);
        PipelineLog.StepFailed(_logger, stage, count, errorType, error);
        _telemetry.StageFailed(stage, errorType);
        return errorType;
    }

    private void SetRunning(int stage, bool running) => Volatile.Write(ref _runningStages[stage], running);

    /// <summary>Runs one step of stage <paramref name="index"/> on <paramref name="batch"/>, marked as running and as the batch's current stage meanwhile.</summary>
    private async ValueTask<Outcome<bool>> RunStepAsync(int index, IngestionBatch batch, StageStep step)
    {
        batch.Stage = _stages[index];
        SetRunning(index, true);
        try
        {
            return await RunStageAsync(index, batch, step).ConfigureAwait(false);
        }
        finally
        {
            SetRunning(index, false);
            batch.Stage = null;
        }
    }

    /// <summary>The queue is drained and closed: each stage finishes what it keeps open, and what that derives still goes through.</summary>
    private async Task CompleteStagesAsync()
    {
        var batch = new IngestionBatch([]);
        for (var i = 0; i < _stages.Length && !_abort.IsCancellationRequested; i++)
        {
            var stage = _stages[i];
            var outcome = await RunStepAsync(i, batch, StageStep.Complete).ConfigureAwait(false);
            if (outcome.Exception is BrokenCircuitException)
            {
                _telemetry.StageSkipped(stage.Name);
                continue;
            }

            StageError(stage.Name, 0, outcome.Exception);
        }

        _derived.AddRange(batch.Derived);
        batch.ReleaseHandOffs();
        await ProcessDerivedAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A batch and every event it derived have gone through: the stages that wait for a batch's derived events
    /// (<see cref="IWaitsForDerivedEvents"/>) take what they held back, and what that derives goes through.
    /// </summary>
    private async Task ProcessAfterDerivedAsync()
    {
        if (_waitingStages.Length == 0)
        {
            return;
        }

        var batch = _afterDerived;
        foreach (var i in _waitingStages)
        {
            if (_abort.IsCancellationRequested)
            {
                return;
            }

            var stage = _stages[i];
            var start = Stopwatch.GetTimestamp();
            var outcome = await RunStepAsync(i, batch, StageStep.AfterDerived).ConfigureAwait(false);
            if (outcome.Exception is BrokenCircuitException)
            {
                _telemetry.StageSkipped(stage.Name);
                continue;
            }

            _telemetry.StageDuration(stage.Name, start, StageError(stage.Name, 0, outcome.Exception));
        }

        batch.TakeDerived(_derived);
        await ProcessDerivedAsync().ConfigureAwait(false);
    }

    /// <summary>Derived events re-enter the flow: stored, then through every stage, until none are left.</summary>
    private async Task ProcessDerivedAsync()
    {
        while (_derived.Count > 0 && !_abort.IsCancellationRequested)
        {
            var round = new List<WorkItem>(_derived.Count);
            foreach (var evt in _derived)
            {
                round.Add(new WorkItem(evt, null, null, 0, null));
            }

            _derived.Clear();
            for (var start = 0; start < round.Count; start += _options.MaxBatchSize)
            {
                await ProcessAsync(round.GetRange(start, Math.Min(_options.MaxBatchSize, round.Count - start))).ConfigureAwait(false);
            }
        }

        _derived.Clear();
    }

    /// <summary>Fails the items of a batch with a reason; returns how many callers' items it failed.</summary>
    private int FailBatch(List<WorkItem> batch, string reason, string errorType)
    {
        var failed = 0;
        foreach (var item in batch)
        {
            failed += item.Tracker is null ? 0 : 1;
        }

        _telemetry.Failed(failed, errorType);
        foreach (var item in batch)
        {
            item.Tracker?.Complete(item.Index, EventItemStatus.Failed, reason);
        }

        return failed;
    }

    private int FailRemaining()
    {
        var left = new List<WorkItem>();
        while (_channel.Reader.TryRead(out var item))
        {
            if (item.Flush is { } flush)
            {
                flush.TrySetResult();
            }
            else
            {
                left.Add(item);
            }
        }

        return FailBatch(left, StoppedReason, PipelineTelemetry.ShutdownTimeout);
    }

    /// <summary>Which of a stage's methods a step runs.</summary>
    private enum StageStep
    {
        Process,
        AfterDerived,
        Complete,
    }

    private readonly record struct WorkItem(AnalyticsEvent? Event, object? Record, BatchTracker? Tracker, int Index, TaskCompletionSource? Flush);
}
