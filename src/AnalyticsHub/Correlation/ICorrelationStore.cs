namespace AnalyticsHub.Correlation;

/// <summary>
/// Where the incidents the <c>correlation</c> stage found are kept for queries: the latest state of each incident (the
/// <see cref="EventCorrelation"/> of its newest open, update or close event), read by id or with a
/// <see cref="CorrelationQuery"/>.
/// </summary>
/// <remarks>
/// <para>
/// A backend does I/O only: what a query means (validation, the window, the traversal from a seed event, the order and
/// the bound) lives in <see cref="CorrelationQueryPlan"/>, so every backend gives the same answers. The lifecycle
/// events stay in the event store as the history; this store holds one row per incident. Thread-safe.
/// </para>
/// <para>
/// The in-memory backend is <c>Storage.InMemory.InMemoryCorrelationStore</c>; the contract tests in the repository's
/// test project (<c>CorrelationStoreContractTests</c>) state the behaviour every backend shares.
/// </para>
/// </remarks>
public interface ICorrelationStore
{
    /// <summary>
    /// Stores <paramref name="correlation"/> as its incident's latest state unless the stored state was detected later
    /// (an equal <see cref="EventCorrelation.DetectedAt"/> replaces it: the lifecycle's later event wins a tie).
    /// </summary>
    /// <returns>Whether the correlation is now the stored state; false when a later one was already stored.</returns>
    /// <exception cref="ArgumentException">The strength or confidence is outside [0, 1] or not finite.</exception>
    ValueTask<bool> WriteAsync(EventCorrelation correlation, CancellationToken cancellationToken = default);

    /// <summary>The latest state of an incident, or null when the store has none.</summary>
    ValueTask<EventCorrelation?> GetAsync(Guid correlationId, CancellationToken cancellationToken = default);

    /// <summary>The incidents matching a query, by <see cref="CorrelationQueryPlan"/>'s rules; an invalid query comes back with its problems and no items.</summary>
    ValueTask<CorrelationQueryResult> QueryAsync(CorrelationQuery query, CancellationToken cancellationToken = default);
}
