using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// Software prefetch: asks the processor to start loading the cache line of an object or array element that a loop
/// will read a few iterations later, so the load's wait on memory overlaps the iterations in between instead of
/// stalling its own. A hint only: it reads and writes nothing the program sees, cannot fault, and is a no-op where the
/// instruction is missing (a processor without SSE, such as ARM). An address the collector moves before the
/// read is simply a wasted hint.
/// </summary>
/// <remarks>
/// Used where a loop over a batch touches, per item, state that is cold (one line of a large table at a random place,
/// or the objects of a series touched once per batch) and whose address is known from data already at hand: the id
/// table's home slot of the event some places ahead, the shard and head chunk of a series some places ahead.
/// </remarks>
internal static class CacheHint
{
    /// <summary>How many items ahead a batch loop prefetches: far enough for a load from memory to arrive, near enough that the line is still cached when read.</summary>
    public const int Distance = 16;

    /// <summary>
    /// Whether the processor has the prefetch instruction (a constant to the JIT): call sites test it before computing
    /// what to prefetch, so where a hint would be a no-op the loads that find its address are not made either.
    /// </summary>
    public static bool IsSupported => Sse.IsSupported;

    /// <summary>Prefetches the first cache line of <paramref name="value"/> (its header and first fields); nothing for null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(object? value)
    {
        if (Sse.IsSupported && value is not null)
        {
            Sse.Prefetch0(*(void**)Unsafe.AsPointer(ref value));
        }
    }

    /// <summary>Prefetches the cache line that holds <paramref name="element"/> (an array element or a field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref T element)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref element));
        }
    }
}
