namespace AnalyticsHub.AspNetCore;

/// <summary>Bounds the live subscribers of <c>/stream</c> and <c>/ws</c> together (<see cref="AnalyticsHubHttpOptions.MaxStreamSubscribers"/>).</summary>
internal sealed class StreamSubscriberGate
{
    private int _count;

    /// <summary>Live subscribers now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes a place when one is free.</summary>
    public bool TryEnter(int max)
    {
        while (true)
        {
            var count = Volatile.Read(ref _count);
            if (count >= max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _count, count + 1, count) == count)
            {
                return true;
            }
        }
    }

    /// <summary>Gives a place back.</summary>
    public void Exit() => Interlocked.Decrement(ref _count);
}
