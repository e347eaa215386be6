namespace AnalyticsHub.Events;

/// <summary>The outcome of reading one event: the event, or the problems that prevented it.</summary>
/// <param name="Event">The event; <see langword="null"/> when an error was found.</param>
/// <param name="Problems">Every problem found; empty when reading succeeded cleanly.</param>
public readonly record struct EventReadResult(AnalyticsEvent? Event, IReadOnlyList<Problem> Problems)
{
    /// <summary>Whether an event was read.</summary>
    public bool Succeeded => Event is not null;
}
