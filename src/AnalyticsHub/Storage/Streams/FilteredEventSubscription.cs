using System.Runtime.CompilerServices;
using AnalyticsHub.Api;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage.Streams;

/// <summary>
/// A subscription that passes on only the data frames whose event meets a predicate the store's filter cannot express
/// (a correlation's strength, read from its data); heartbeat, gap and other frames pass unchanged.
/// </summary>
/// <remarks>The sequences of the frames skipped are simply not seen: resuming after the last frame received loses nothing.</remarks>
internal sealed class FilteredEventSubscription(IEventSubscription inner, Func<AnalyticsEvent, bool> keep) : IEventSubscription
{
    public EventQuery Filter => inner.Filter;

    public IAsyncEnumerator<StreamEvent<AnalyticsEvent>> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        Frames(cancellationToken).GetAsyncEnumerator(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async IAsyncEnumerable<StreamEvent<AnalyticsEvent>> Frames([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in inner.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (frame.EventType != StreamEventType.Data || frame.Data is not { } evt || keep(evt))
            {
                yield return frame;
            }
        }
    }
}
