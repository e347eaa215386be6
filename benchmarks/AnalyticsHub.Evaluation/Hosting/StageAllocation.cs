using System.Collections.Concurrent;
using System.Globalization;
using AnalyticsHub.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.Evaluation.Hosting;

/// <summary>
/// Bytes each stage allocates, for <c>hub-ingest … gc</c>: every registered stage is wrapped in a
/// <see cref="MeteredStage"/> that reads the thread's allocation counter around the stage's call. Allocation does not
/// depend on the load, so these figures hold on a busy machine.
/// </summary>
/// <remarks>
/// The counter is the thread's own (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), so stages of other lanes
/// running at the same time do not leak into it. A stage whose call completes only after an await is counted up to
/// that await and reported as partial (the in-memory stages complete synchronously). The computed points hand-off is
/// charged to whichever of its consumers reads it first.
/// </remarks>
internal sealed class StageAllocation
{
    private readonly ConcurrentDictionary<string, Counter> _byStage = new(StringComparer.Ordinal);

    /// <summary>Replaces every stage registration in <paramref name="services"/> by one that meters the stage.</summary>
    public void Wrap(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IIngestionStage) || descriptor.IsKeyedService)
            {
                continue;
            }

            Func<IServiceProvider, IIngestionStage> inner = descriptor switch
            {
                { ImplementationInstance: IIngestionStage instance } => _ => instance,
                { ImplementationFactory: { } factory } => sp => (IIngestionStage)factory(sp),
                { ImplementationType: { } type } => sp => (IIngestionStage)ActivatorUtilities.CreateInstance(sp, type),
                _ => throw new InvalidOperationException("A stage registration without an implementation."),
            };
            services[i] = ServiceDescriptor.Singleton<IIngestionStage>(sp => new MeteredStage(inner(sp), this));
        }
    }

    /// <summary>Forgets what was counted (before a measured run).</summary>
    public void Reset() => _byStage.Clear();

    /// <summary>The bytes all stages allocated since <see cref="Reset"/>.</summary>
    public long Total => _byStage.Values.Sum(c => Interlocked.Read(ref c.Bytes));

    /// <summary>Prints each stage's bytes per event, largest first, and what the ingest allocated outside the stages.</summary>
    public void Print(int events, long allocated)
    {
        foreach (var (stage, counter) in _byStage.OrderByDescending(p => Interlocked.Read(ref p.Value.Bytes)))
        {
            var partial = counter.Asynchronous > 0 ? string.Create(CultureInfo.InvariantCulture, $" (partial: {counter.Asynchronous} calls went async)") : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    allocated by stage {stage,-18} {Interlocked.Read(ref counter.Bytes) / (double)events,8:F1} B/event{partial}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    allocated outside the stages   {(allocated - Total) / (double)events,8:F1} B/event (validation, redaction, queue, event store, accounting, the harness)"));
    }

    private void Add(string stage, long bytes, bool asynchronous)
    {
        var counter = _byStage.GetOrAdd(stage, static _ => new Counter());
        Interlocked.Add(ref counter.Bytes, bytes);
        if (asynchronous)
        {
            Interlocked.Increment(ref counter.Asynchronous);
        }
    }

    private sealed class Counter
    {
        public long Bytes;
        public long Asynchronous;
    }

    /// <summary>
    /// A stage with the same name, hand-offs and group as the one it wraps, whose calls are metered; it passes the
    /// pipeline's call after a batch's derived events on to a stage that waits for it (a no-op for the others).
    /// </summary>
    private sealed class MeteredStage(IIngestionStage inner, StageAllocation meter) : IIngestionStage, IWaitsForDerivedEvents
    {
        public string Name => inner.Name;

        public IReadOnlyList<HandOff> Produces => inner.Produces;

        public IReadOnlyList<HandOff> Consumes => inner.Consumes;

        public string? ConcurrencyGroup => inner.ConcurrencyGroup;

        public ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var call = inner.ProcessAsync(batch, cancellationToken);
            meter.Add(inner.Name, GC.GetAllocatedBytesForCurrentThread() - before, !call.IsCompleted);
            return call;
        }

        public ValueTask ProcessAfterDerivedAsync(IngestionBatch batch, CancellationToken cancellationToken)
        {
            if (inner is not IWaitsForDerivedEvents waiting)
            {
                return ValueTask.CompletedTask;
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            var call = waiting.ProcessAfterDerivedAsync(batch, cancellationToken);
            meter.Add(inner.Name, GC.GetAllocatedBytesForCurrentThread() - before, !call.IsCompleted);
            return call;
        }

        public ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken) => inner.CompleteAsync(batch, cancellationToken);
    }
}
