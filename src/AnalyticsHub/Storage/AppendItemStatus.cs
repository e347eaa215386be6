namespace AnalyticsHub.Storage;

/// <summary>What an append did with one event.</summary>
public enum AppendItemStatus : byte
{
    /// <summary>Stored, with a new sequence number.</summary>
    Appended,

    /// <summary>Not stored: an event with the same <c>event_id</c> is already stored (or came earlier in the same batch).</summary>
    Duplicate,

    /// <summary>
    /// Stored by an earlier call of the same write (same write id) whose answer was lost: new as far as this write is
    /// concerned, with the sequence number it got then.
    /// </summary>
    Recovered,
}
