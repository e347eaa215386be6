using AnalyticsHub.Correlation;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The reference <see cref="ICorrelationStore"/>: the latest state of each incident in memory, indexed by id, by member
/// event and by detection time, at most <see cref="Capacity"/> incidents (the least recently detected are evicted first
/// and counted in <see cref="Evicted"/>).
/// </summary>
/// <remarks>Thread-safe: one lock around every read and write; a query runs under it.</remarks>
public sealed class InMemoryCorrelationStore : ICorrelationStore
{
    /// <summary>How many incidents the store keeps by default.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, EventCorrelation> _byId = [];
    private readonly Dictionary<Guid, List<Guid>> _byMember = [];
    private readonly SortedSet<(long Ticks, Guid Id)> _byDetection = [];
    private readonly Lookup _lookup;
    private long _evicted;

    /// <summary>Creates an empty store that keeps at most <paramref name="capacity"/> incidents.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public InMemoryCorrelationStore(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _lookup = new Lookup(this);
    }

    /// <summary>The most incidents the store keeps.</summary>
    public int Capacity { get; }

    /// <summary>How many incidents the store holds now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>How many incidents were evicted to stay within <see cref="Capacity"/>.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <inheritdoc />
    public ValueTask<bool> WriteAsync(EventCorrelation correlation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        CheckScores(correlation);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byId.TryGetValue(correlation.CorrelationId, out var stored))
            {
                if (stored.DetectedAt > correlation.DetectedAt)
                {
                    return ValueTask.FromResult(false);
                }

                Remove(stored);
            }
            else if (_byId.Count == Capacity)
            {
                Remove(_byId[_byDetection.Min.Id]);
                Interlocked.Increment(ref _evicted);
            }

            Add(correlation);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<EventCorrelation?> GetAsync(Guid correlationId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(correlationId));
        }
    }

    /// <inheritdoc />
    public ValueTask<CorrelationQueryResult> QueryAsync(CorrelationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(CorrelationQueryPlan.Execute(query, _lookup));
        }
    }

    private static void CheckScores(EventCorrelation correlation)
    {
        if (!IsScore(correlation.Strength) || !IsScore(correlation.Confidence))
        {
            throw new ArgumentException(FormattableString.Invariant($"Strength and confidence must be finite numbers in [0, 1]; they are {correlation.Strength} and {correlation.Confidence}."), nameof(correlation));
        }
    }

    private static bool IsScore(double value) => double.IsFinite(value) && value is >= 0 and <= 1;

    private void Add(EventCorrelation correlation)
    {
        _byId.Add(correlation.CorrelationId, correlation);
        _byDetection.Add((correlation.DetectedAt.UtcTicks, correlation.CorrelationId));
        foreach (var member in correlation.Events)
        {
            if (!_byMember.TryGetValue(member.EventId, out var holders))
            {
                holders = [];
                _byMember.Add(member.EventId, holders);
            }

            if (!holders.Contains(correlation.CorrelationId))
            {
                holders.Add(correlation.CorrelationId);
            }
        }
    }

    private void Remove(EventCorrelation correlation)
    {
        _byId.Remove(correlation.CorrelationId);
        _byDetection.Remove((correlation.DetectedAt.UtcTicks, correlation.CorrelationId));
        foreach (var member in correlation.Events)
        {
            if (_byMember.TryGetValue(member.EventId, out var holders) && holders.Remove(correlation.CorrelationId) && holders.Count == 0)
            {
                _byMember.Remove(member.EventId);
            }
        }
    }

    /// <summary>The store's reads for <see cref="CorrelationQueryPlan"/>, used under the store's lock.</summary>
    private sealed class Lookup(InMemoryCorrelationStore store) : ICorrelationLookup
    {
        public DateTimeOffset? NewestDetection =>
            store._byDetection.Count == 0 ? null : store._byId[store._byDetection.Max.Id].DetectedAt;

        public IEnumerable<EventCorrelation> Overlapping(DateTimeOffset from, DateTimeOffset to)
        {
            foreach (var correlation in store._byId.Values)
            {
                if (correlation.TimeWindow.Start <= to && correlation.TimeWindow.End >= from)
                {
                    yield return correlation;
                }
            }
        }

        public IEnumerable<EventCorrelation> WithMember(Guid eventId)
        {
            if (!store._byMember.TryGetValue(eventId, out var holders))
            {
                yield break;
            }

            foreach (var id in holders)
            {
                yield return store._byId[id];
            }
        }
    }
}
