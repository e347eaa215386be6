namespace AnalyticsHub.Storage.InMemory;

/// <summary>Counters of an <see cref="InMemoryEventStore"/>: what it holds, took and evicted.</summary>
/// <param name="Count">Events held now.</param>
/// <param name="Appended">Events stored since the start.</param>
/// <param name="Duplicates">Events refused as duplicates since the start.</param>
/// <param name="EvictedByCount">Events evicted because the store held <see cref="InMemoryEventStoreOptions.MaxEvents"/>.</param>
/// <param name="EvictedByAge">Events evicted because they were older than <see cref="InMemoryEventStoreOptions.MaxAge"/>.</param>
/// <param name="LastSequence">The sequence of the last stored event, 0 before the first.</param>
/// <param name="Subscribers">Live subscriptions.</param>
/// <param name="Blocks">Blocks held (the unit of memory).</param>
public readonly record struct EventStoreStatistics(
    long Count,
    long Appended,
    long Duplicates,
    long EvictedByCount,
    long EvictedByAge,
    ulong LastSequence,
    int Subscribers,
    int Blocks);
