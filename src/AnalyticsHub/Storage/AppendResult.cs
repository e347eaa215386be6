namespace AnalyticsHub.Storage;

/// <summary>The outcome of appending a batch: how many were stored, how many were duplicates, and which.</summary>
/// <remarks>
/// Stored events get consecutive store-wide sequence numbers in batch order (duplicates get none), from
/// <see cref="FirstSequence"/> to <see cref="LastSequence"/>. Per-item statuses cost nothing when there are no duplicates.
/// </remarks>
public sealed class AppendResult
{
    private readonly AppendItemStatus[]? _statuses;

    internal AppendResult(int count, int duplicates, AppendItemStatus[]? statuses, ulong firstSequence, int recovered = 0)
    {
        Count = count;
        Duplicates = duplicates;
        Recovered = recovered;
        _statuses = statuses;
        FirstSequence = firstSequence;
    }

    /// <summary>How many events the batch held.</summary>
    public int Count { get; }

    /// <summary>How many events this call stored (with consecutive sequence numbers).</summary>
    public int Appended => Count - Duplicates - Recovered;

    /// <summary>How many events an earlier call of the same write had stored (<see cref="AppendItemStatus.Recovered"/>).</summary>
    public int Recovered { get; }

    /// <summary>How many events were not stored because their id was already stored.</summary>
    public int Duplicates { get; }

    /// <summary>The sequence number of the first stored event; meaningless when <see cref="Appended"/> is 0.</summary>
    public ulong FirstSequence { get; }

    /// <summary>The sequence number of the last stored event; meaningless when <see cref="Appended"/> is 0.</summary>
    public ulong LastSequence => FirstSequence + (ulong)Appended - 1;

    /// <summary>What became of the event at <paramref name="index"/> of the batch.</summary>
    /// <param name="index">The position in the batch, from 0.</param>
    public AppendItemStatus this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _statuses?[index] ?? AppendItemStatus.Appended;
        }
    }

    /// <summary>Whether the event at <paramref name="index"/> was not stored because its id was already stored.</summary>
    /// <param name="index">The position in the batch, from 0.</param>
    /// <returns>Whether it is a duplicate.</returns>
    public bool IsDuplicate(int index) => this[index] == AppendItemStatus.Duplicate;

    /// <summary>Whether this write stored the event at <paramref name="index"/>, in this call or an earlier one of the same write.</summary>
    /// <param name="index">The position in the batch, from 0.</param>
    /// <returns>Whether it is new to the store through this write.</returns>
    public bool IsNew(int index) => this[index] != AppendItemStatus.Duplicate;
}
