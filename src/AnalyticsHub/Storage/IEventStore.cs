using AnalyticsHub.Events;

namespace AnalyticsHub.Storage;

/// <summary>
/// Stores events idempotently by <c>event_id</c> and answers event queries, lookups by id, correlation
/// and parent, and live subscriptions.
/// </summary>
/// <remarks>
/// Implementations are thread-safe. Every stored event gets a store-wide sequence number, increasing in
/// the order of appends. Stores are bounded by a retention policy, so old events may be gone. Methods
/// validate their arguments: an invalid <see cref="EventQuery"/> throws <see cref="InvalidQueryException"/>
/// (check with <see cref="EventQuery.Validate"/> first to get the error as a value).
/// The abstract contract tests in the test project define the behaviour every backend shares.
/// </remarks>
public interface IEventStore
{
    /// <summary>Appends a batch as a write of its own (a new write id); see <see cref="AppendAsync(IReadOnlyList{AnalyticsEvent}, Guid, CancellationToken)"/>.</summary>
    /// <param name="events">Validated events (see <see cref="EventValidator"/>).</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, CancellationToken cancellationToken = default) =>
        AppendAsync(events, Guid.NewGuid(), cancellationToken);

    /// <summary>
    /// Appends a batch as part of the write <paramref name="writeId"/>; an event whose id is already stored (or came
    /// earlier in the batch) is reported as a duplicate and not stored again, unless this same write stored it.
    /// </summary>
    /// <remarks>
    /// A caller that retries a write whose answer it never got (the store committed, then the connection dropped)
    /// calls again with the same write id: an event that an earlier call of the write stored is reported
    /// <see cref="AppendItemStatus.Recovered"/>, not <see cref="AppendItemStatus.Duplicate"/>, so the caller learns that
    /// its write stored it and can pass it on exactly once. A store remembers at least the last 1,024 write ids (the
    /// pipeline retries within <c>Ingestion.MaxRetryTime</c>); the contract tests check it.
    /// </remarks>
    /// <param name="events">Validated events (see <see cref="EventValidator"/>).</param>
    /// <param name="writeId">The logical write this call belongs to: the same for every retry and every part of a split batch.</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    ValueTask<AppendResult> AppendAsync(IReadOnlyList<AnalyticsEvent> events, Guid writeId, CancellationToken cancellationToken = default);

    /// <summary>The stored event with this id, or null.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<AnalyticsEvent?> GetAsync(Guid eventId, CancellationToken cancellationToken = default);

    /// <summary>One page of the events matching <paramref name="query"/>, in its order.</summary>
    /// <param name="query">Filters, order and paging.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="InvalidQueryException">The query is invalid or its cursor is malformed or foreign.</exception>
    ValueTask<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many stored events match the filters of <paramref name="query"/> (its paging, order and cursor are ignored).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <exception cref="InvalidQueryException">The filters are invalid.</exception>
    ValueTask<ulong> CountAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every stored event of a correlation, oldest first (ties by sequence).</summary>
    /// <param name="correlationId">The correlation id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<IReadOnlyList<AnalyticsEvent>> GetCorrelatedAsync(Guid correlationId, CancellationToken cancellationToken = default);

    /// <summary>Every stored event whose <c>parent_event_id</c> is <paramref name="parentEventId"/>, oldest first (ties by sequence).</summary>
    /// <param name="parentEventId">The parent's id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<IReadOnlyList<AnalyticsEvent>> GetChildrenAsync(Guid parentEventId, CancellationToken cancellationToken = default);

    /// <summary>Subscribes to events matching the filters of <paramref name="filter"/> as they are appended.</summary>
    /// <param name="filter">The filters (paging, order and cursor are ignored).</param>
    /// <param name="resumeAfterSequence">
    /// Resume after this sequence: events stored after it are replayed first, as far as the store's replay window
    /// reaches (a <c>stream_gap</c> frame names what it cannot replay). Live only when null.
    /// </param>
    /// <exception cref="InvalidQueryException">The filters are invalid.</exception>
    IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null);
}
