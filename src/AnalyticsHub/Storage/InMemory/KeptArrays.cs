namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// Arrays of plain values that an in-memory store keeps as long as its data (an event block's columns and indexes),
/// allocated where young collections neither copy nor scan them.
/// </summary>
/// <remarks>
/// Allocated in gen0, an array the store keeps is copied by the next gen0 collection and again by a gen1 collection
/// before it settles in gen2: for a store that keeps most of what it allocates, that copying is most of the collector's
/// work. The pinned-object heap is swept only by gen2 collections and never compacted; arrays of values hold no
/// references, so young collections have nothing to follow in them. The trades: an allocation there is slower than in
/// gen0 (no bump allocation), so it pays only for arrays allocated rarely (an event block's, once per block of events;
/// a time-series head chunk's rows, allocated per series and head, were measured there and not kept:
/// docs/benchmarks.md, "Issue 36: arrays the stores keep, where young collections do not copy them"); and an array
/// dropped (an evicted block's) is freed by the next gen2 collection instead of a young one, its space reused by later
/// allocations rather than compacted away.
/// </remarks>
internal static class KeptArrays
{
    /// <summary>A zeroed array of <paramref name="length"/> values on the pinned-object heap.</summary>
    public static T[] Allocate<T>(int length)
        where T : unmanaged => GC.AllocateArray<T>(length, pinned: true);
}
