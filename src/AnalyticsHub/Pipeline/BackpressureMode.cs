namespace AnalyticsHub.Pipeline;

/// <summary>What ingestion does when its queue is full.</summary>
public enum BackpressureMode
{
    /// <summary>Wait up to <see cref="IngestionOptions.WaitTimeout"/> for room, then refuse the item.</summary>
    Wait,

    /// <summary>Drop the incoming item (reported as <c>Dropped</c>), keeping what is queued.</summary>
    DropNewest,

    /// <summary>Refuse the incoming item at once (reported as <c>Refused</c>), so the producer can retry later.</summary>
    Refuse,
}
