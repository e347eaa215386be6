using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Tests.Events;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AnalyticsHub.Tests.Pipeline;

/// <summary>The store's and stages' Polly pipelines: capped, jittered retries within a time limit, and the breaker (issue 23).</summary>
public sealed class PipelineResilienceTests
{
    /// <summary>
    /// Runs an always-failing step to its end on a fake clock that moves exactly as far as each wait the pipeline sets;
    /// returns the logged waits, the outcome, the clock time it took and the attempts.
    /// </summary>
    internal static async Task<(IReadOnlyList<TimeSpan> Waits, Outcome<bool> Outcome, TimeSpan Elapsed, int Attempts)> RunAlwaysFailingAsync(
        IngestionOptions options, Func<double>? randomizer = null)
    {
        var clock = new TimerObservingClock(SampleEvents.Now);
        using var logger = new RetryDelayLogger();
        using var meter = new HubMeter();
        var pipeline = PipelineResilience.ForStore(options, new PipelineTelemetry(meter), clock, logger, randomizer);
        var attempts = 0;
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        var run = pipeline.ExecuteOutcomeAsync(
            static (_, state) =>
            {
                state();
                return ValueTask.FromResult(Outcome.FromException<bool>(new IOException("store down")));
            },
            context,
            () => Interlocked.Increment(ref attempts)).AsTask();
        var start = clock.GetUtcNow();
        var limit = options.MaxRetryTime;
        var first = true;
        while (true)
        {
            var timer = clock.Created.ReadAsync().AsTask();
            if (await Task.WhenAny(run, timer) == run)
            {
                break;
            }

            var due = await timer;
            if (first)
            {
                // The first timer is the time limit's (the outermost strategy); the others are the retries' waits.
                first = false;
                continue;
            }

            // Move to the end of the wait, stopping at the time limit first: the step must end there.
            var toLimit = limit - (clock.GetUtcNow() - start);
            if (due > toLimit && toLimit > TimeSpan.Zero)
            {
                clock.Advance(toLimit);
                if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5))) == run)
                {
                    break;
                }

                due -= toLimit;
            }

            clock.Advance(due);
        }

        var outcome = await run;
        ResilienceContextPool.Shared.Return(context);
        return ([.. logger.Retries.Select(r => r.Delay)], outcome, clock.GetUtcNow() - start, Volatile.Read(ref attempts));
    }

    [Fact]
    public async Task Retries_MaxRetries20_NoWaitExceedsTheCap()
    {
        var options = new IngestionOptions
        {
            MaxRetries = 20,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromSeconds(5),
            MaxRetryTime = TimeSpan.FromDays(1),
        };

        var (waits, outcome, _, attempts) = await RunAlwaysFailingAsync(options, new Random(1).NextDouble);

        Assert.Equal(21, attempts);
        Assert.Equal(20, waits.Count);
        Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.Zero, options.RetryMaxDelay));
        Assert.Contains(waits, wait => wait == options.RetryMaxDelay);
        Assert.IsType<IOException>(outcome.Exception);
    }

    [Fact]
    public async Task Retries_Jitter_WaitsDifferFromPlainDoubling()
    {
        var options = new IngestionOptions { MaxRetries = 6, RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromMinutes(1) };

        var (waits, _, _, _) = await RunAlwaysFailingAsync(options, new Random(3).NextDouble);

        var doubling = Enumerable.Range(0, 6).Select(i => TimeSpan.FromMilliseconds(100 * Math.Pow(2, i)));
        Assert.NotEqual(doubling, waits);
        Assert.True(waits[^1] > waits[0], "the waits grow");
    }

    [Fact]
    public async Task Retries_MaxRetryTime_BoundsTheWholeStepAndReportsATimeout()
    {
        var options = new IngestionOptions
        {
            MaxRetries = 1_000,
            RetryBaseDelay = TimeSpan.FromSeconds(1),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
            MaxRetryTime = TimeSpan.FromSeconds(5),
        };

        var (_, outcome, elapsed, attempts) = await RunAlwaysFailingAsync(options);

        Assert.IsType<TimeoutRejectedException>(outcome.Exception);
        Assert.Equal(PipelineTelemetry.Timeout, PipelineResilience.ErrorType(outcome.Exception!));
        Assert.Equal(TimeSpan.FromSeconds(5), elapsed);
        Assert.InRange(attempts, 5, 1_000); // every wait is at most 1 s, so at least one attempt per second; then the limit cuts it
    }

    [Fact]
    public async Task Retries_MaxRetriesZero_OneAttempt()
    {
        var (waits, outcome, _, attempts) = await RunAlwaysFailingAsync(new IngestionOptions { MaxRetries = 0 });

        Assert.Equal(1, attempts);
        Assert.Empty(waits);
        Assert.IsType<IOException>(outcome.Exception);
    }

    [Fact]
    public async Task Breaker_OpensAfterMinimumThroughputAndClosesAfterASuccessfulProbe()
    {
        var clock = new FakeTimeProvider(SampleEvents.Now);
        using var meter = new HubMeter();
        var telemetry = new PipelineTelemetry(meter);
        var changes = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter.Meter && instrument.Name == "analyticshub.stage.circuit.changes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "circuit.state")
                {
                    changes.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();
        var options = new IngestionOptions
        {
            MaxRetries = 0,
            CircuitBreaker = new() { MinimumThroughput = 3, FailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(10) },
        };
        var pipeline = PipelineResilience.ForStage("s", options, telemetry, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var fail = true;
        var calls = 0;

        async Task<Exception?> Run()
        {
            var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
            var outcome = await pipeline.ExecuteOutcomeAsync(
                (_, _) =>
                {
                    calls++;
                    return ValueTask.FromResult(fail ? Outcome.FromException<bool>(new InvalidOperationException("x")) : Outcome.FromResult(true));
                },
                context,
                0);
            ResilienceContextPool.Shared.Return(context);
            return outcome.Exception;
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<InvalidOperationException>(await Run());
        }

        Assert.IsType<BrokenCircuitException>(await Run());
        Assert.Equal(3, calls);
        Assert.Equal(["s"], telemetry.Snapshot(0, 0, new Dictionary<string, long>()).OpenCircuits);

        clock.Advance(TimeSpan.FromSeconds(10));
        fail = false;
        Assert.Null(await Run());

        Assert.Equal(4, calls);
        Assert.Empty(telemetry.Snapshot(0, 0, new Dictionary<string, long>()).OpenCircuits);
        Assert.Equal(["open", "half_open", "closed"], changes);
    }

    /// <summary>A fake clock that reports the due time of every timer created on it, so a test can move it by exactly that much.</summary>
    private sealed class TimerObservingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

        public ChannelReader<TimeSpan> Created => _created.Reader;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _created.Writer.TryWrite(dueTime);
            return timer;
        }
    }
}
