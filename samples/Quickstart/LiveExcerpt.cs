using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;

namespace AnalyticsHub.Samples.Quickstart;

/// <summary>Reads the first frames of a live subscription while the replay runs.</summary>
public static class LiveExcerpt
{
    /// <summary>Collects the first <paramref name="count"/> data frames.</summary>
    public static async Task<IReadOnlyList<StreamEvent<AnalyticsEvent>>> CollectAsync(IEventSubscription subscription, int count)
    {
        var frames = new List<StreamEvent<AnalyticsEvent>>();
        await foreach (var frame in subscription)
        {
            if (frame.Data is not null)
            {
                frames.Add(frame);
                if (frames.Count == count)
                {
                    break;
                }
            }
        }

        return frames;
    }
}
