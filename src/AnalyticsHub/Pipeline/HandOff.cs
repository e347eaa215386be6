namespace AnalyticsHub.Pipeline;

/// <summary>
/// A named, typed value that stages hand to later stages within one batch (e.g. the metric windows the
/// <c>metrics</c> stage closed, read by the <c>anomalies</c> stage). Stages declare what they produce and consume
/// (<see cref="IIngestionStage.Produces"/>, <see cref="IIngestionStage.Consumes"/>); the pipeline orders stages from
/// those declarations and refuses a read or write that a stage did not declare.
/// </summary>
/// <remarks>
/// A hand-off is either <em>produced</em> by exactly one stage, or <em>computed</em> from the batch's events on first
/// use (the time-series points), in which case no stage produces it. Derived events are not hand-offs: they are
/// events, emitted with <see cref="IngestionBatch.Emit"/>, and go through every stage like any other event.
/// Hand-offs are compared by reference: declare each one once, as a static field beside its domain.
/// </remarks>
public abstract class HandOff
{
    private protected HandOff(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The hand-off's name in logs and errors, e.g. <c>metrics.closed_windows</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the value is computed from the batch's events on first use rather than produced by a stage.</summary>
    public abstract bool IsComputed { get; }

    /// <summary>A hand-off produced by one stage, read as <paramref name="empty"/> in a batch where it put nothing.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="name">The name in logs and errors.</param>
    /// <param name="empty">What consumers read when the producer put no value for a batch.</param>
    public static HandOff<T> Produced<T>(string name, T empty)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(empty);
        return new HandOff<T>(name, empty, null, null);
    }

    /// <summary>A hand-off computed from the batch on first use and shared by every stage that consumes it.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="name">The name in logs and errors.</param>
    /// <param name="compute">Computes the value from the batch's events; runs at most once per batch.</param>
    public static HandOff<T> Computed<T>(string name, Func<IngestionBatch, T> compute)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(compute);
        return new HandOff<T>(name, null, compute, null);
    }

    /// <summary>
    /// A computed hand-off whose value the pipeline hands to <paramref name="release"/> once the batch has passed every
    /// stage (every lane done), so the value's memory can be reused for a later batch; consumers must not keep it.
    /// </summary>
    internal static HandOff<T> Computed<T>(string name, Func<IngestionBatch, T> compute, Action<T> release)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(release);
        return new HandOff<T>(name, null, compute, release);
    }

    /// <summary>Called by the pipeline at the end of a batch with the value this hand-off had on it.</summary>
    internal abstract void Release(object value);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A hand-off whose value is a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The value's type; readers must not change it.</typeparam>
public sealed class HandOff<T> : HandOff
    where T : class
{
    private readonly Func<IngestionBatch, T>? _compute;
    private readonly Action<T>? _release;

    internal HandOff(string name, T? empty, Func<IngestionBatch, T>? compute, Action<T>? release)
        : base(name)
    {
        Empty = empty;
        _compute = compute;
        _release = release;
    }

    /// <summary>The value a consumer reads when the producer put none for a batch (null for a computed hand-off).</summary>
    public T? Empty { get; }

    /// <inheritdoc/>
    public override bool IsComputed => _compute is not null;

    internal T Compute(IngestionBatch batch) => _compute!(batch);

    internal override void Release(object value) => _release?.Invoke((T)value);
}
