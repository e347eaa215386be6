using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;

namespace AnalyticsHub.Tests.Pipeline;

/// <summary>The tracker behind <see cref="IngestResult"/>: immediate statuses at once, final ones on completion, without copying the items.</summary>
public class BatchTrackerTests
{
    private static EventItemResult Item(int index, EventItemStatus status) =>
        new(index, null, Guid.NewGuid(), status, null, []);

    [Fact]
    public async Task Seal_ItemsSettledAfterwards_ItemsKeepImmediateStatusesAndCompletionHasFinalOnes()
    {
        IReadOnlyList<EventItemResult>? seen = null;

        // Capacity 1 for three items: outcomes past it grow the tracker's table.
        var tracker = new BatchTracker(1) { Completed = final => seen = final };
        var items = new[] { Item(0, EventItemStatus.Accepted), Item(1, EventItemStatus.Invalid), Item(2, EventItemStatus.Accepted) };
        tracker.Expect();
        tracker.Expect();

        var result = tracker.Seal(items);
        Assert.False(result.Completion.IsCompleted);
        tracker.Complete(2, EventItemStatus.Duplicate, "already stored");
        Assert.False(result.Completion.IsCompleted);
        tracker.Complete(0, EventItemStatus.Stored, null);

        var final = await result.Completion;
        Assert.Equal([EventItemStatus.Accepted, EventItemStatus.Invalid, EventItemStatus.Accepted], result.Items.Select(i => i.Status));
        Assert.Equal([EventItemStatus.Stored, EventItemStatus.Invalid, EventItemStatus.Duplicate], final.Select(i => i.Status));
        Assert.Equal([null, null, "already stored"], final.Select(i => i.Reason));
        Assert.Equal(items.Select(i => i.EventId), final.Select(i => i.EventId));
        Assert.Same(final, seen);
        Assert.Equal(3, final.Count);
    }

    [Fact]
    public async Task Seal_EveryItemSettledBefore_CompletesAtSeal()
    {
        var tracker = new BatchTracker(2);
        tracker.Expect();
        tracker.Complete(0, EventItemStatus.Stored, null);

        var result = tracker.Seal([Item(0, EventItemStatus.Accepted), Item(1, EventItemStatus.Refused)]);

        Assert.True(result.Completion.IsCompleted);
        Assert.Equal([EventItemStatus.Stored, EventItemStatus.Refused], (await result.Completion).Select(i => i.Status));
    }
}
