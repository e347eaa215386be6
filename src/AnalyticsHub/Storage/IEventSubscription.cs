using AnalyticsHub.Api;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage;

/// <summary>
/// A live subscription to a store's events: enumerate it once for its frames; dispose it (or the
/// enumerator) to stop.
/// </summary>
/// <remarks>
/// Frames carry the store-wide sequence. The subscription is registered when it is made, so events
/// appended before enumeration starts are not missed. A subscriber that falls behind its bounded buffer
/// receives a <c>stream_gap</c> error frame naming the missed sequences and then continues live; appends
/// never wait for it.
/// </remarks>
public interface IEventSubscription : IAsyncEnumerable<StreamEvent<AnalyticsEvent>>, IAsyncDisposable
{
    /// <summary>The filter the subscription was made with.</summary>
    EventQuery Filter { get; }
}
