namespace AnalyticsHub.Storage;

/// <summary>What an append did with one event.</summary>
public enum AppendItemStatus : byte
{
    /// <summary>Stored, with a new sequence number.</summary>
    Appended,

    /// <summary>Not stored: an event with the same <c>event_id</c> is already stored (or came earlier in the same batch).</summary>
    Duplicate,
}
