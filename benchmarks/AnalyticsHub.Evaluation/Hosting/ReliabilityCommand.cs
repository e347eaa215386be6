using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Evaluation.Hosting;

/// <summary>
/// <c>reliability [events] [producers] [--ci]</c>: the fault and load suite of issue 37. First the hostile inputs of
/// the issue, each timed with its allocation and outcome; then <c>producers</c> tasks ingest <c>events</c> pinned-mix
/// events into a hub whose event store, batch after batch, fails, hangs past the retry time limit, commits and then
/// throws, and recovers, while memory is sampled; the hub is stopped while the producers still ingest. It checks the
/// accounting (every offered item counted once, every stored event through the stages exactly once) and exits 1 when
/// anything is off. <c>--ci</c> runs the small sizes (about a minute on two cores).
/// </summary>
internal static class ReliabilityCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var ci = args.Contains("--ci");
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var events = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : ci ? 40_000 : 2_000_000;
        var producers = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 8;
        var ok = await HostileInputsAsync(ci).ConfigureAwait(false);
        ok &= await FaultsUnderLoadAsync(events, producers).ConfigureAwait(false);
        Console.WriteLine(ok ? "reliability: every check passed" : "reliability: CHECKS FAILED");
        return ok ? 0 : 1;
    }

    private static async Task<bool> HostileInputsAsync(bool ci)
    {
        var ok = true;
        var scale = ci ? 4 : 1;
        await using var provider = Build(new InMemoryEventStore(), o => o.DisabledStages = ["anomalies", "cost", "budgets"]);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync().ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;

        // 1. Custom events that each bring 1,000 new numeric keys.
        var wide = Enumerable.Range(0, 200 / scale).Select(i => Custom(now, i, Enumerable.Range(0, 1_000).Select(k => $"\"k{i}_{k}\":{k}"))).ToArray();
        ok &= await Case($"{wide.Length} custom events x 1,000 new numeric keys", async () =>
        {
            foreach (var json in wide)
            {
                await hub.IngestJsonAsync(json).ConfigureAwait(false);
            }

            await hub.FlushAsync().ConfigureAwait(false);
            return $"{hub.Statistics.RejectedPoints} points refused (field_limit_exceeded), {hub.Statistics.Stored} events stored";
        }).ConfigureAwait(false);

        // 2. One custom event holding 100 k e-mail addresses as keys (0.9 MB).
        var emails = Custom(now, 10_000, Enumerable.Range(0, 100_000 / scale).Select(k => $"\"u{k}@x.io\":1"));
        ok &= await Case($"one event, {100_000 / scale:N0} e-mail keys ({emails.Length / 1024} KiB)", async () =>
        {
            var result = await hub.IngestJsonAsync(emails).ConfigureAwait(false);
            return $"{result.Items[0].Status}, {hub.Statistics.Redactions["email"]} redactions";
        }).ConfigureAwait(false);

        // 3. A JSON array whose first element holds a huge string, then a valid element.
        var stringBytes = (ci ? 50L : 200L) << 20;
        ok &= await Case($"array, first element a {stringBytes >> 20} MB string", async () =>
        {
            var result = await hub.IngestAsync(new HugeStringStream(stringBytes, Custom(now, 20_000, ["\"x\":1"]))).ConfigureAwait(false);
            var codes = string.Join(", ", result.Items.Select(i => i.Problems.Count > 0 ? i.Problems[0].Code : i.Status.ToString()));
            return result.Items.Count == 2 && result.Items[1].Status == EventItemStatus.Accepted ? codes : throw new InvalidOperationException("unexpected: " + codes);
        }).ConfigureAwait(false);

        // 4. 3 MB of "{}" lines.
        var lines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{}\n", 1_000_000 / scale)));
        ok &= await Case($"{lines.Length >> 10} KiB of '{{}}' lines", async () =>
        {
            var result = await hub.IngestJsonAsync(lines).ConfigureAwait(false);
            return $"{result.Items.Count} results kept, last {result.Items[^1].Problems[0].Code}";
        }).ConfigureAwait(false);

        // 5. Numbers past double inside custom data.
        ok &= await Case("custom data with 1e400", async () =>
        {
            var result = await hub.IngestJsonAsync(Custom(now, 30_000, ["\"x\":1e400"])).ConfigureAwait(false);
            var problem = result.Items[0].Problems[0];
            return $"{problem.Code} at {problem.Path}";
        }).ConfigureAwait(false);

        // 6. Options that used to pass validation and break every ingest.
        ok &= await Case("MaxFutureSkew = TimeSpan.MaxValue", () =>
        {
            var options = new AnalyticsHubOptions { Validation = new EventValidationOptions { MaxFutureSkew = TimeSpan.MaxValue } };
            return Task.FromResult(string.Join(" ", options.Validate()));
        }).ConfigureAwait(false);

        // Accepted events are stored asynchronously: the accounting balances once the queue is drained (cases 2 and 3
        // return on acceptance, so without the flush a late batch can still be in flight here).
        await hub.FlushAsync().ConfigureAwait(false);
        ok &= Balanced(hub.Statistics, "hostile inputs");
        return ok;
    }

    private static async Task<bool> FaultsUnderLoadAsync(int count, int producers)
    {
        var store = new FaultyStore();
        var stage = new CountingStage();
        await using var provider = Build(store, o =>
        {
            o.Ingestion.MaxRetryTime = TimeSpan.FromMilliseconds(200);
            o.Ingestion.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.Ingestion.RetryMaxDelay = TimeSpan.FromMilliseconds(20);
            o.Ingestion.ShutdownTimeout = TimeSpan.FromSeconds(5);
            o.DisabledStages = ["anomalies", "cost", "budgets"];
        }, stage);
        var hub = provider.GetRequiredService<IAnalyticsHub>();
        await hub.StartAsync().ConfigureAwait(false);
        var events = PinnedMixWorkload.Create(count, DateTimeOffset.UtcNow);
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(50).ConfigureAwait(false);
            }
        });

        var stopwatch = Stopwatch.StartNew();
        var offeredByProducers = 0L;
        var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = p * 100; i < events.Length; i += producers * 100)
            {
                var slice = events.AsMemory(i, Math.Min(100, events.Length - i)).ToArray();
                await hub.IngestAsync(slice).ConfigureAwait(false);
                Interlocked.Add(ref offeredByProducers, slice.Length);
            }
        })).ToArray();

        // Stop during load: once half the events are offered, while the producers go on.
        while (Interlocked.Read(ref offeredByProducers) < count / 2 && !tasks.All(t => t.IsCompleted))
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        var failedByStop = await hub.StopAsync().ConfigureAwait(false);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var elapsed = stopwatch.Elapsed;
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);

        var s = hub.Statistics;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"faults under load: {producers} producers, {count:N0} events in {elapsed.TotalSeconds:F1} s; store calls {store.Calls:N0} ({store.Failures} failed, {store.Hangs} hung, {store.LostAcks} lost acks); "
            + $"offered {s.Offered:N0} = invalid {s.Invalid} + refused {s.Refused:N0} + dropped {s.Dropped} + accepted {s.Accepted:N0}; accepted = stored {s.Stored:N0} + duplicates {s.Duplicates} + failed {s.Failed:N0} "
            + $"({failedByStop} by the stop); managed memory before {baseline >> 20} MB (the events), peak {peak >> 20} MB"));
        var ok = Balanced(s, "faults under load") && s.Offered == Interlocked.Read(ref offeredByProducers);
        var twice = stage.Seen.Count(pair => pair.Value != 1);
        if (twice > 0 || stage.Seen.Count != s.Stored + s.Derived)
        {
            Console.WriteLine($"  FAILED: {twice} events reached the stages more than once; {stage.Seen.Count} seen, {s.Stored + s.Derived} stored");
            ok = false;
        }

        return ok;
    }

    private static bool Balanced(IngestionStatistics s, string what)
    {
        var ok = s.Offered == s.Invalid + s.Refused + s.Dropped + s.Accepted && s.Accepted == s.Stored + s.Duplicates + s.Failed;
        if (!ok)
        {
            Console.WriteLine($"  FAILED ({what}): the accounting does not balance: {s}");
        }

        return ok;
    }

    private static async Task<bool> Case(string name, Func<Task<string>> run)
    {
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var outcome = await run().ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {stopwatch.Elapsed.TotalSeconds:F2} s, {(GC.GetTotalAllocatedBytes(precise: true) - allocated) >> 20} MB allocated: {outcome}"));
            return true;
        }
#pragma warning disable CA1031 // A harness reports every failure and goes on with the next case.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Console.WriteLine($"{name}: FAILED with {exception.GetType().Name}: {exception.Message}");
            return false;
        }
    }

    private static ServiceProvider Build(IEventStore store, Action<AnalyticsHubOptions> configure, IIngestionStage? stage = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(store);
        if (stage is not null)
        {
            services.AddSingleton(stage);
        }

        services.AddAnalyticsHub(configure);
        return services.BuildServiceProvider();
    }

    private static byte[] Custom(DateTimeOffset now, int id, IEnumerable<string> members) => Encoding.UTF8.GetBytes(
        "{\"event_id\":\"" + new Guid(id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 37) + "\",\"schema_version\":\"1.0.0\",\"timestamp\":\"" + now.ToString("O", CultureInfo.InvariantCulture)
        + "\",\"source_module\":\"llm-observatory\",\"event_type\":\"audit\",\"correlation_id\":null,\"parent_event_id\":null,\"severity\":\"info\",\"environment\":\"prod\",\"tags\":{},"
        + "\"payload\":{\"payload_type\":\"custom\",\"data\":{\"custom_type\":\"load\",\"data\":{" + string.Join(",", members) + "}}}}");

    /// <summary>A stream of <c>[{"x":"aaaa...."}, item]</c>, generated as it is read.</summary>
    private sealed class HugeStringStream(long stringBytes, byte[] item) : Stream
    {
        private readonly byte[] _head = "[{\"x\":\""u8.ToArray();
        private readonly byte[] _tail = [.. "\"},"u8.ToArray(), .. item, (byte)']'];
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _head.Length + stringBytes + _tail.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count && _position < Length)
            {
                var p = _position;
                buffer[offset + written] = p < _head.Length ? _head[p] : p < _head.Length + stringBytes ? (byte)'a' : _tail[p - _head.Length - stringBytes];
                written++;
                _position++;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A store that cycles, batch after batch, through failing, hanging past the time limit, committing then throwing, and working.</summary>
    private sealed class FaultyStore : IEventStore
    {
        private readonly InMemoryEventStore _inner = new(new InMemoryEventStoreOptions { MaxEvents = 10_000_000 });
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public int Failures { get; private set; }

        public int Hangs { get; private set; }

        public int LostAcks { get; private set; }

        public async ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default)
        {
            switch (Interlocked.Increment(ref _calls) % 20)
            {
                case 3:
                    Failures++;
                    throw new IOException("store unavailable");
                case 7:
                    Hangs++;
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                    break;
                case 11:
                    await _inner.AppendAsync(events, writeId, cancellationToken).ConfigureAwait(false);
                    LostAcks++;
                    throw new IOException("connection reset after commit");
            }

            return await _inner.AppendAsync(events, writeId, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<AnalyticsEvent?> GetAsync(Guid eventId, CancellationToken cancellationToken = default) => _inner.GetAsync(eventId, cancellationToken);

        public ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(query, cancellationToken);

        public ValueTask<ulong> CountAsync(EventQuery query, CancellationToken cancellationToken = default) => _inner.CountAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<AnalyticsEvent>> GetCorrelatedAsync(Guid correlationId, CancellationToken cancellationToken = default) =>
            _inner.GetCorrelatedAsync(correlationId, cancellationToken);

        public ValueTask<IReadOnlyList<AnalyticsEvent>> GetChildrenAsync(Guid parentEventId, CancellationToken cancellationToken = default) =>
            _inner.GetChildrenAsync(parentEventId, cancellationToken);

        public IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null) => _inner.Subscribe(filter, resumeAfterSequence);
    }

    /// <summary>Counts how often each event id reached the stages.</summary>
    private sealed class CountingStage : IIngestionStage
    {
        public ConcurrentDictionary<Guid, int> Seen { get; } = new();

        public string Name => "counting";

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            foreach (var evt in batch.Events)
            {
                Seen.AddOrUpdate(evt.EventId, 1, static (_, n) => n + 1);
            }

            return ValueTask.CompletedTask;
        }
    }
}
