namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// Arrays of plain values that an in-memory store keeps as long as its data (an open chunk's rows, an event block's
/// columns and indexes), allocated where young collections neither copy nor scan them.
/// </summary>
/// <remarks>
/// Allocated in gen0, an array the store keeps is copied by the next gen0 collection and again by a gen1 collection
/// before it settles in gen2: for a store that keeps most of what it allocates, that copying is most of the collector's
/// work. The pinned-object heap is swept only by gen2 collections and never compacted; arrays of values hold no
/// references, so young collections have nothing to follow in them. The trade: an array dropped early (a head chunk
/// that grew, a block's evicted columns) is freed by the next gen2 collection instead of a young one, and its space is
/// reused by later allocations rather than compacted away.
/// </remarks>
internal static class KeptArrays
{
    /// <summary>A zeroed array of <paramref name="length"/> values on the pinned-object heap.</summary>
    public static T[] Allocate<T>(int length)
        where T : unmanaged => GC.AllocateArray<T>(length, pinned: true);
}
