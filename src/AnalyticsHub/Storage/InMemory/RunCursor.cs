namespace AnalyticsHub.Storage.InMemory;

/// <summary>A range [Lo, Hi) of one sorted index run of one block, consumed from the front (ascending) or the back (descending).</summary>
internal struct RunCursor
{
    public EventBlock Block;
    public ushort[] Positions;
    public int Lo;
    public int Hi;

    public readonly bool IsEmpty => Lo >= Hi;

    public readonly int Current(bool descending) => descending ? Positions[Hi - 1] : Positions[Lo];

    public readonly long CurrentTicks(bool descending) => Block.Ticks[Current(descending)];

    public readonly ulong CurrentSequence(bool descending) => Block.FirstSequence + (ulong)Current(descending);

    public void Advance(bool descending)
    {
        if (descending)
        {
            Hi--;
        }
        else
        {
            Lo++;
        }
    }
}
