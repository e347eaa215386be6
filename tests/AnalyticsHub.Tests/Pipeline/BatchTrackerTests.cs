using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Pipeline;

/// <summary>The tracker behind <see cref="IngestResult"/>: immediate statuses at once, final ones on completion, kept compact.</summary>
public class BatchTrackerTests
{
    private static EventItemResult Item(int index, EventItemStatus status) =>
        new(index, null, Guid.NewGuid(), status, null, []);

    private static IngestResult Seal(BatchTracker tracker, params EventItemResult[] items)
    {
        foreach (var item in items)
        {
            tracker.Add(item);
        }

        return tracker.Seal();
    }

    [Fact]
    public async Task Seal_ItemsSettledAfterwards_ItemsKeepImmediateStatusesAndCompletionHasFinalOnes()
    {
        IReadOnlyList<EventItemResult>? seen = null;

        // Capacity 1 for three items: items and outcomes past it grow the tracker's tables.
        var tracker = new BatchTracker(1) { Completed = final => seen = final };
        var items = new[] { Item(0, EventItemStatus.Accepted), Item(1, EventItemStatus.Invalid), Item(2, EventItemStatus.Accepted) };
        tracker.Expect();
        tracker.Expect();

        var result = Seal(tracker, items);
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

        var result = Seal(tracker, Item(0, EventItemStatus.Accepted), Item(1, EventItemStatus.Refused));

        Assert.True(result.Completion.IsCompleted);
        Assert.Equal([EventItemStatus.Stored, EventItemStatus.Refused], (await result.Completion).Select(i => i.Status));
    }

    [Fact]
    public void Items_IndexOutOfRange_Throws()
    {
        var result = Seal(new BatchTracker(4), Item(0, EventItemStatus.Accepted));

        Assert.Throws<ArgumentOutOfRangeException>(() => result.Items[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => result.Items[-1]);
    }

    /// <summary>
    /// Law: whatever the items (with or without event, id, line number, problems, reason; an index other than the
    /// position), the tracker gives back each one as offered, and on completion each accepted one with its final
    /// status and reason, the others unchanged.
    /// </summary>
    [Property(MaxTest = 200)]
    public async Task Items_AnyMix_ReadBackAsOfferedAndFinal(int seed)
    {
        var random = new Random(seed);
        var count = random.Next(0, 40);
        var factory = new AnalyticsEventFactory(SourceModule.LlmObservatory, "production");
        var problem = new Problem(ProblemCodes.InvalidJson, "$", "broken");
        var items = new EventItemResult[count];
        for (var i = 0; i < count; i++)
        {
            var evt = random.Next(3) == 0 ? null : factory.Create(new LatencyMetrics { ModelId = "m", RequestId = "r" + i, TotalLatencyMs = 1 });
            Guid? id = random.Next(6) switch
            {
                0 => null,
                1 => Guid.NewGuid(),
                2 => Guid.Empty,
                _ => evt?.EventId,
            };
            long? line = random.Next(4) switch { 0 => null, 1 => 0, _ => random.Next(1, 1_000) };
            var status = (EventItemStatus)random.Next(4);
            IReadOnlyList<Problem> problems = random.Next(5) == 0 ? [problem] : [];
            var reason = random.Next(6) == 0 ? "why" : null;
            var index = random.Next(10) == 0 ? i + 1_000 : i;
            items[i] = new EventItemResult(index, line, id, status, evt, problems, reason);
        }

        var tracker = new BatchTracker(random.Next(1, 8));
        var finals = new Dictionary<int, (EventItemStatus, string?)>();
        foreach (var item in items.Where(i => i.Status == EventItemStatus.Accepted))
        {
            tracker.Expect();
            finals[item.Index] = ((EventItemStatus)random.Next(4, 7), random.Next(2) == 0 ? "final" : null);
        }

        var result = Seal(tracker, items);
        foreach (var (index, (status, reason)) in finals)
        {
            tracker.Complete(index, status, reason);
        }

        var final = await result.Completion;
        Assert.Equal(count, result.Items.Count);
        Assert.Equal(count, final.Count);
        for (var i = 0; i < count; i++)
        {
            AssertSame(items[i], result.Items[i]);
            var expected = items[i].Status == EventItemStatus.Accepted
                ? items[i] with { Status = finals[items[i].Index].Item1, Reason = finals[items[i].Index].Item2 }
                : items[i];
            AssertSame(expected, final[i]);
        }

        Assert.Equal(result.Items.Select(i => i.Status), result.Items.ToList().Select(i => i.Status));
    }

    private static void AssertSame(EventItemResult expected, EventItemResult actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.LineNumber, actual.LineNumber);
        Assert.Equal(expected.EventId, actual.EventId);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Same(expected.Event, actual.Event);
        Assert.Equal(expected.Problems, actual.Problems);
        Assert.Equal(expected.Reason, actual.Reason);
    }
}
