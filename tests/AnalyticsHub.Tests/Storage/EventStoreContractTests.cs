using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IEventStore"/> backend shares. A backend's test class derives from this
/// and says how to make a store.
/// </summary>
public abstract class EventStoreContractTests
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Makes an empty store with these settings.</summary>
    protected abstract IEventStore CreateStore(EventStoreTestSettings settings);

    /// <summary>How many records an indexed query may examine beyond its matches (e.g. a partly evicted block).</summary>
    protected virtual int ScanSlack => 1;

    protected FakeTimeProvider Clock { get; } = new(SampleEvents.Now);

    protected IEventStore CreateStore() => CreateStore(new EventStoreTestSettings { TimeProvider = Clock });

    protected static List<AnalyticsEvent> Append(IEventStore store, IReadOnlyList<AnalyticsEvent> events)
    {
        store.AppendAsync(events).AsTask().GetAwaiter().GetResult();
        return [.. events];
    }

    protected static EventPage Query(IEventStore store, EventQuery query) => store.QueryAsync(query).AsTask().GetAwaiter().GetResult();

    // ---- append and idempotency -------------------------------------------------------------

    [Fact]
    public async Task AppendAsync_SameWriteIdAgain_ReportsWhatThatWriteStoredAsRecovered()
    {
        // A write that committed and lost its answer is retried with the same write id (issue 37).
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(7), 6);
        var other = await store.AppendAsync(events[..1], Guid.NewGuid());
        var write = Guid.NewGuid();
        var lost = await store.AppendAsync(events[1..4], write);

        var retry = await store.AppendAsync(events, write);

        Assert.Equal(3, lost.Appended);
        Assert.Equal(AppendItemStatus.Duplicate, retry[0]);
        Assert.Equal([AppendItemStatus.Recovered, AppendItemStatus.Recovered, AppendItemStatus.Recovered], Enumerable.Range(1, 3).Select(i => retry[i]));
        Assert.Equal([AppendItemStatus.Appended, AppendItemStatus.Appended], Enumerable.Range(4, 2).Select(i => retry[i]));
        Assert.Equal((6, 1, 3, 2), (retry.Count, retry.Duplicates, retry.Recovered, retry.Appended));
        Assert.Equal(lost.LastSequence + 1, retry.FirstSequence);
        Assert.False(retry.IsNew(0));
        Assert.True(retry.IsNew(1));
        Assert.Equal(1, other.Appended);
        Assert.Equal(6ul, await store.CountAsync(new EventQuery()));
    }

    [Fact]
    public async Task AppendAsync_OtherWriteId_ReportsDuplicatesNotRecovered()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(8), 4);
        await store.AppendAsync(events, Guid.NewGuid());

        var again = await store.AppendAsync(events, Guid.NewGuid());
        var plain = await store.AppendAsync(events);

        Assert.Equal((4, 0), (again.Duplicates, again.Recovered));
        Assert.Equal((4, 0), (plain.Duplicates, plain.Recovered));
    }

    [Fact]
    public async Task AppendAsync_NewEvents_StoresEachWithConsecutiveSequences()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(1), 10);

        var first = await store.AppendAsync(events[..4]);
        var second = await store.AppendAsync(events[4..]);

        Assert.Equal(4, first.Appended);
        Assert.Equal(0, first.Duplicates);
        Assert.Equal(first.LastSequence + 1, second.FirstSequence);
        Assert.Equal(6, second.Appended);
        Assert.Equal(10ul, await store.CountAsync(new EventQuery()));
    }

    [Fact]
    public async Task AppendAsync_RepeatedIds_ReportsDuplicatesPerItemAndStoresOnce()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(2), 3);
        await store.AppendAsync(events);
        var again = events[1] with { Common = events[1].Common with { Severity = Severity.Critical } };

        var result = await store.AppendAsync([RandomEvents.Event(new Random(3)), again, events[2], events[2]]);

        Assert.Equal(1, result.Appended);
        Assert.Equal(3, result.Duplicates);
        Assert.Equal(AppendItemStatus.Appended, result[0]);
        Assert.Equal(AppendItemStatus.Duplicate, result[1]);
        Assert.Equal(AppendItemStatus.Duplicate, result[2]);
        Assert.Equal(AppendItemStatus.Duplicate, result[3]);
        Assert.Equal(4ul, await store.CountAsync(new EventQuery()));
        Assert.Equal(events[1].Severity, (await store.GetAsync(events[1].EventId))!.Severity);
    }

    [Fact]
    public async Task AppendAsync_DuplicateInsideOneBatch_StoresTheFirst()
    {
        var store = CreateStore();
        var evt = RandomEvents.Event(new Random(4));

        var result = await store.AppendAsync([evt, evt with { Common = evt.Common with { Environment = "other" } }]);

        Assert.Equal(1, result.Appended);
        Assert.Equal(AppendItemStatus.Duplicate, result[1]);
        Assert.Equal(evt.Common.Environment, (await store.GetAsync(evt.EventId))!.Common.Environment);
    }

    [Fact]
    public async Task AppendAsync_NullItem_ThrowsAndStoresNothing()
    {
        var store = CreateStore();
        var events = new List<AnalyticsEvent> { RandomEvents.Event(new Random(5)), null! };

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(events));

        Assert.Equal(0ul, await store.CountAsync(new EventQuery()));
    }

    [Fact]
    public async Task AppendAsync_Canceled_Throws()
    {
        var store = CreateStore();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AppendAsync(RandomEvents.Events(new Random(6), 2), cts.Token));
    }

    [Fact]
    public async Task AppendResult_ToBatchResponse_MarksDuplicatesSkipped()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(7), 2);
        await store.AppendAsync(events[..1]);

        var result = await store.AppendAsync(events);
        var response = BatchResponse.ForAppendedEvents(events, result.IsDuplicate, Clock);

        Assert.Equal(BatchStatus.AllSuccess, response.Status);
        Assert.Equal(1, response.SuccessCount);
        Assert.Equal(ItemStatus.Skipped, response.Results[0].Status);
        Assert.Equal(ProblemCodes.DuplicateEvent, response.Results[0].Error!.Code);
        Assert.Equal(events[0].EventId.ToString(), response.Results[0].ItemId);
        Assert.Equal(ItemStatus.Success, response.Results[1].Status);
    }

    // ---- lookups ----------------------------------------------------------------------------

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        var store = CreateStore();
        await store.AppendAsync(RandomEvents.Events(new Random(8), 5));

        Assert.Null(await store.GetAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task GetAsync_StoredId_ReturnsTheEvent()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(9), 5);
        await store.AppendAsync(events);

        // Byte-for-byte in the canonical wire form: a database store returns a copy, not the instance.
        Assert.Equal(AnalyticsEventJson.SerializeToUtf8Bytes(events[3]), AnalyticsEventJson.SerializeToUtf8Bytes((await store.GetAsync(events[3].EventId))!));
    }

    /// <summary>
    /// The NUL decision: JSON allows U+0000 and the validator accepts it, so every backend stores it. A database store
    /// must keep the body as bytes (PostgreSQL text and jsonb refuse U+0000) and compare filter strings as bytes.
    /// </summary>
    [Fact]
    public async Task AppendAsync_NulAndControlCharacters_RoundTripByteForByteAndStayFilterable()
    {
        var store = CreateStore();
        const string hostile = @"a\u0000b\u0001'\"";--$$ $tag$\u001f\u007f\u2028\ud83d\ude00"; // JSON-escaped
        var json = $$"""
            {"event_id":"6f1b7c1e-0000-4000-8000-00000000002a","timestamp":"2026-11-27T11:59:00.1234567Z","source_module":"llm-sentinel",
             "event_type":"audit","severity":"warning","environment":"{{hostile}}","tags":{"{{hostile}}":"{{hostile}}","team":"ml"},
             "payload":{"payload_type":"custom","data":{"custom_type":"{{hostile}}","data":{"text":"{{hostile}}","nested":["\u0000",1.5e-7,-0.0]} } } }
            """;
        var read = AnalyticsEventJson.Read(json);
        Assert.True(read.Succeeded, string.Join("; ", read.Problems.Select(p => p.Message)));
        var evt = read.Event!;
        Assert.Contains('\0', evt.Common.Environment);
        Assert.Empty(new EventValidator(timeProvider: Clock).Validate(evt));

        await store.AppendAsync([evt, RandomEvents.Event(new Random(30))]);

        var back = await store.GetAsync(evt.EventId);
        Assert.Equal(AnalyticsEventJson.SerializeToUtf8Bytes(evt), AnalyticsEventJson.SerializeToUtf8Bytes(back!));
        var filter = new EventQuery { Environment = evt.Common.Environment, Tags = evt.Common.Tags, Subtype = evt.Payload.Subtype };
        var page = await store.QueryAsync(filter);
        Assert.Equal([evt.EventId], page.Events.Select(e => e.EventId));
        Assert.Equal(0ul, await store.CountAsync(new EventQuery { Environment = "a" }));
        Assert.Equal(0ul, await store.CountAsync(new EventQuery { Tags = new Dictionary<string, string> { ["a"] = "b" } }));
    }

    [Fact]
    public async Task GetCorrelatedAsync_Correlation_ReturnsItsEventsOldestFirst()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(10), 300);
        await store.AppendAsync(events);
        var id = RandomEvents.Correlations[2];

        var found = await store.GetCorrelatedAsync(id);

        var expected = RandomEvents.Baseline(events, new EventQuery { CorrelationId = id, Order = SortOrder.Asc }, out _);
        Assert.NotEmpty(found);
        Assert.Equal(expected.Select(e => e.EventId), found.Select(e => e.EventId));
    }

    [Fact]
    public async Task GetChildrenAsync_Parent_ReturnsChildrenOldestFirst()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(11), 300);
        await store.AppendAsync(events);
        var parent = RandomEvents.Correlations[1];

        var found = await store.GetChildrenAsync(parent);

        var expected = events.Select((e, i) => (e, i)).Where(x => x.e.Common.ParentEventId == parent)
            .OrderBy(x => x.e.Timestamp).ThenBy(x => x.i).Select(x => x.e.EventId).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, found.Select(e => e.EventId));
    }

    [Fact]
    public async Task GetChildrenAsync_UnknownParent_ReturnsEmpty()
    {
        var store = CreateStore();
        await store.AppendAsync(RandomEvents.Events(new Random(12), 20));

        Assert.Empty(await store.GetChildrenAsync(Guid.NewGuid()));
    }

    // ---- queries against the list-scan baseline ---------------------------------------------

    [Property(MaxTest = 60)]
    public void QueryAsync_RandomEventsAndQueries_MatchesListScan(int seed)
    {
        var random = new Random(seed);
        var store = CreateStore();
        var events = RandomEvents.Events(random, random.Next(0, 400));
        for (var i = 0; i < events.Count; i += 37)
        {
            Append(store, events[i..Math.Min(i + 37, events.Count)]);
        }

        for (var q = 0; q < 8; q++)
        {
            var query = RandomEvents.Query(random);
            var expected = RandomEvents.Baseline(events, query, out var total);
            var page = Query(store, query);

            var offset = (int)((query.Page - 1) * query.PerPage);
            var expectedPage = expected.Skip(offset).Take((int)query.PerPage).Select(e => e.EventId).ToList();
            Assert.Equal(expectedPage, page.Events.Select(e => e.EventId).ToList());
            Assert.Equal((ulong)total, page.TotalItems);
            Assert.Equal((ulong)total, store.CountAsync(query).AsTask().GetAwaiter().GetResult());
            Assert.Equal(offset + expectedPage.Count < total, page.HasMore);
            Assert.Equal((ulong)expectedPage.Count, page.Metrics.RecordsReturned);
        }
    }

    [Property(MaxTest = 30)]
    public void QueryAsync_FollowingCursors_ReturnsEveryMatchOnceInOrder(int seed)
    {
        var random = new Random(seed);
        var store = CreateStore();
        var events = RandomEvents.Events(random, random.Next(0, 300));
        Append(store, events);
        var query = RandomEvents.Query(random) with { Page = 1 };
        var expected = RandomEvents.Baseline(events, query, out _).Select(e => e.EventId).ToList();

        var seen = new List<Guid>();
        var page = Query(store, query);
        seen.AddRange(page.Events.Select(e => e.EventId));
        while (page.HasMore)
        {
            page = Query(store, query with { Cursor = page.NextCursor });
            Assert.True(page.FromCursor);
            seen.AddRange(page.Events.Select(e => e.EventId));
        }

        Assert.Equal(expected, seen);
    }

    [Property(MaxTest = 30)]
    public void QueryAsync_CursorsWhileEventsArrive_NoDuplicatesNoGaps(int seed)
    {
        var random = new Random(seed);
        var store = CreateStore();
        var initial = RandomEvents.Events(random, random.Next(1, 200));
        Append(store, initial);
        var query = RandomEvents.Query(random) with { Page = 1, PerPage = (uint)random.Next(1, 10) };
        var present = RandomEvents.Baseline(initial, query, out _).Select(e => e.EventId).ToHashSet();
        var all = new List<AnalyticsEvent>(initial);

        var seen = new List<AnalyticsEvent>();
        var page = Query(store, query);
        seen.AddRange(page.Events);
        while (page.HasMore)
        {
            // New events everywhere in time: before, at and after the cursor's position.
            var arriving = RandomEvents.Events(random, random.Next(0, 5));
            Append(store, arriving);
            all.AddRange(arriving);
            page = Query(store, query with { Cursor = page.NextCursor });
            seen.AddRange(page.Events);
        }

        var ids = seen.Select(e => e.EventId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Subset(ids.ToHashSet(), present);
        var keys = seen.Select(e => (e.Timestamp.UtcTicks, all.FindIndex(x => x.EventId == e.EventId))).ToList();
        var sorted = query.Order == SortOrder.Asc ? keys.Order().ToList() : keys.OrderDescending().ToList();
        Assert.Equal(sorted, keys);
    }

    [Theory]
    [InlineData(SortOrder.Desc)]
    [InlineData(SortOrder.Asc)]
    public void QueryAsync_EveryModuleAndSeverityTiedInTime_PagesAndCursorsCrossTheTiesInOrder(SortOrder order)
    {
        // Every (module, severity) pair at each of three instants, shuffled, in three batches: every page boundary falls
        // inside a tie in time, across pairs (a backend that merges one read per pair must order the tie by sequence).
        var random = new Random(29);
        var instants = new[] { RandomEvents.Base, RandomEvents.Base.AddSeconds(10), RandomEvents.Base.AddMinutes(1) };
        var events = (from instant in instants
                      from module in Enum.GetValues<SourceModule>()
                      from severity in Enum.GetValues<Severity>()
                      select RandomEvents.Event(random, instant, module, severity)).ToArray();
        random.Shuffle(events);
        var store = CreateStore();
        for (var i = 0; i < events.Length; i += 40)
        {
            Append(store, events[i..Math.Min(i + 40, events.Length)]);
        }

        EventQuery[] queries =
        [
            new EventQuery(),
            new EventQuery { SourceModules = Enum.GetValues<SourceModule>() },
            new EventQuery { MinSeverity = Severity.Info },
            new EventQuery { SourceModules = [SourceModule.LlmSentinel, SourceModule.LlmCostOps], MinSeverity = Severity.Warning },
        ];
        foreach (var filter in queries)
        {
            var query = filter with { Order = order, PerPage = 8 };
            var expected = RandomEvents.Baseline(events, query, out var total).Select(e => e.EventId).ToList();
            Assert.True(total > 8);

            var seen = new List<Guid>();
            var page = Query(store, query);
            Assert.Equal((ulong)total, page.TotalItems);
            seen.AddRange(page.Events.Select(e => e.EventId));
            while (page.HasMore)
            {
                page = Query(store, query with { Cursor = page.NextCursor });
                seen.AddRange(page.Events.Select(e => e.EventId));
            }

            Assert.Equal(expected, seen);
            var third = Query(store, query with { Page = 3 });
            Assert.Equal(expected.Skip(16).Take(8), third.Events.Select(e => e.EventId));
        }
    }

    [Property(MaxTest = 30)]
    public void QueryAsync_IndexedFilters_ScanNoMoreThanMatchesPlusSlack(int seed)
    {
        var random = new Random(seed);
        var store = CreateStore();
        var events = RandomEvents.Events(random, random.Next(0, 2000));
        for (var i = 0; i < events.Count; i += 250)
        {
            Append(store, events[i..Math.Min(i + 250, events.Count)]);
        }

        var from = RandomEvents.Base.AddSeconds(random.Next(0, 720) * 10);
        var query = new EventQuery
        {
            From = from,
            To = from.AddMinutes(random.Next(1, 60)),
            SourceModules = random.Next(2) == 0 ? null : [(SourceModule)random.Next(7), (SourceModule)random.Next(7)],
            MinSeverity = random.Next(2) == 0 ? null : (Severity)random.Next(5),
            PerPage = (uint)random.Next(1, 100),
            Order = random.Next(2) == 0 ? SortOrder.Asc : SortOrder.Desc,
        };

        var page = Query(store, query);

        RandomEvents.Baseline(events, query, out var total);
        Assert.Equal((ulong)total, page.TotalItems);
        Assert.InRange(page.Metrics.RecordsScanned, 0ul, (ulong)(Math.Min(total, (int)query.PerPage + 1) + ScanSlack));
    }

    [Fact]
    public async Task QueryAsync_SeedEventQuery_ReturnsNewestWarningsOfOneModuleInTheLastHour()
    {
        var store = CreateStore();
        var random = new Random(13);
        var events = RandomEvents.Events(random, 1000);
        await store.AppendAsync(events);
        var now = SampleEvents.Now;
        var query = new EventQuery
        {
            SourceModules = [SourceModule.LlmObservatory],
            EventTypes = [EventType.Telemetry],
            From = now.AddHours(-1),
            MinSeverity = Severity.Warning,
            Order = SortOrder.Desc,
            PerPage = 100,
        };

        var page = await store.QueryAsync(query);

        var expected = RandomEvents.Baseline(events, query, out var total);
        Assert.True(total > 0);
        Assert.Equal(expected.Take(100).Select(e => e.EventId), page.Events.Select(e => e.EventId));
        Assert.All(page.Events, e => Assert.True(e.Severity >= Severity.Warning && e.SourceModule == SourceModule.LlmObservatory));
    }

    [Fact]
    public async Task QueryAsync_EmptyStore_ReturnsEmptyPageWithZeroPages()
    {
        var store = CreateStore();

        var page = await store.QueryAsync(new EventQuery());
        var metadata = page.ToPaginationMetadata("/v1/events");

        Assert.Empty(page.Events);
        Assert.False(page.HasMore);
        Assert.Null(page.NextCursor);
        Assert.Equal(0u, metadata.TotalPages);
        Assert.False(metadata.HasNext);
        Assert.Equal(metadata.Links!.First, metadata.Links.Last);
    }

    [Fact]
    public async Task QueryAsync_InvalidPerPage_ThrowsValidationError()
    {
        var store = CreateStore();

        var error = await Assert.ThrowsAsync<InvalidQueryException>(async () => await store.QueryAsync(new EventQuery { PerPage = 1001 }));

        Assert.Equal(ProblemCodes.ValidationError, ApiError.FromProblems(error.Problems).Code);
        Assert.True(ApiError.FromProblems(error.Problems).FieldErrors!.ContainsKey("per_page"));
    }

    [Fact]
    public async Task QueryAsync_ForeignCursor_ThrowsInvalidCursor()
    {
        var store = CreateStore();
        await store.AppendAsync(RandomEvents.Events(new Random(14), 30));
        var page = await store.QueryAsync(new EventQuery { PerPage = 5 });

        var error = await Assert.ThrowsAsync<InvalidQueryException>(async () =>
            await store.QueryAsync(new EventQuery { PerPage = 5, MinSeverity = Severity.Error, Cursor = page.NextCursor }));

        Assert.Equal(ProblemCodes.InvalidCursor, ApiError.FromProblems(error.Problems).Code);
        Assert.Equal(400, ApiError.FromProblems(error.Problems).StatusCode);
    }

    [Fact]
    public async Task QueryAsync_CursorWithOtherPageSize_Continues()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(15), 30);
        await store.AppendAsync(events);
        var query = new EventQuery { PerPage = 5, Order = SortOrder.Asc };
        var expected = RandomEvents.Baseline(events, query, out _);

        var first = await store.QueryAsync(query);
        var second = await store.QueryAsync(query with { PerPage = 10, Cursor = first.NextCursor });

        Assert.Equal(expected.Skip(5).Take(10).Select(e => e.EventId), second.Events.Select(e => e.EventId));
    }

    // ---- retention ---------------------------------------------------------------------------

    [Fact]
    public async Task AppendAsync_BeyondMaxEvents_EvictsTheOldest()
    {
        var store = CreateStore(new EventStoreTestSettings { TimeProvider = Clock, MaxEvents = 100 });
        var events = RandomEvents.Events(new Random(16), 250);

        for (var i = 0; i < events.Count; i += 30)
        {
            await store.AppendAsync(events[i..Math.Min(i + 30, events.Count)]);
        }

        Assert.Equal(100ul, await store.CountAsync(new EventQuery()));
        Assert.Null(await store.GetAsync(events[149].EventId));
        Assert.NotNull(await store.GetAsync(events[150].EventId));
        var all = await store.QueryAsync(new EventQuery { PerPage = 1000 });
        Assert.Equal(events[150..].Select(e => e.EventId).ToHashSet(), all.Events.Select(e => e.EventId).ToHashSet());
        Assert.DoesNotContain(await store.GetCorrelatedAsync(RandomEvents.Correlations[0]), e => events.FindIndex(x => x.EventId == e.EventId) < 150);
    }

    [Fact]
    public async Task AppendAsync_EvictedId_CanBeStoredAgain()
    {
        var store = CreateStore(new EventStoreTestSettings { TimeProvider = Clock, MaxEvents = 2 });
        var events = RandomEvents.Events(new Random(17), 3);
        await store.AppendAsync(events);

        var again = await store.AppendAsync(events[..1]);

        Assert.Equal(1, again.Appended);
    }

    [Fact]
    public async Task QueryAsync_AfterMaxAge_DoesNotReturnExpiredEvents()
    {
        var store = CreateStore(new EventStoreTestSettings { TimeProvider = Clock, MaxAge = TimeSpan.FromHours(1) });
        var old = RandomEvents.Events(new Random(18), 20);
        var young = RandomEvents.Events(new Random(19), 10);
        await store.AppendAsync(old);
        Clock.Advance(TimeSpan.FromMinutes(30));
        await store.AppendAsync(young);

        Clock.Advance(TimeSpan.FromMinutes(31));

        var page = await store.QueryAsync(new EventQuery { PerPage = 100 });
        Assert.Equal(young.Select(e => e.EventId).ToHashSet(), page.Events.Select(e => e.EventId).ToHashSet());
        Assert.Null(await store.GetAsync(old[0].EventId));
        Assert.Equal(10ul, await store.CountAsync(new EventQuery()));
    }

    // ---- live streams ------------------------------------------------------------------------

    protected static async Task<List<StreamEvent<AnalyticsEvent>>> Take(IAsyncEnumerator<StreamEvent<AnalyticsEvent>> frames, int count)
    {
        var taken = new List<StreamEvent<AnalyticsEvent>>();
        for (var i = 0; i < count; i++)
        {
            Assert.True(await frames.MoveNextAsync().AsTask().WaitAsync(Wait));
            taken.Add(frames.Current);
        }

        return taken;
    }

    [Fact]
    public async Task Subscribe_Filter_DeliversMatchingEventsInSequenceOrder()
    {
        var store = CreateStore();
        var filter = new EventQuery { MinSeverity = Severity.Warning };
        await using var subscription = store.Subscribe(filter);
        var events = RandomEvents.Events(new Random(20), 200);
        var result = await store.AppendAsync(events);
        var expected = events.Where(e => e.Severity >= Severity.Warning).ToList();

        await using var frames = subscription.GetAsyncEnumerator();
        var taken = await Take(frames, expected.Count);

        Assert.Equal(expected.Select(e => e.EventId), taken.Select(f => f.Data!.EventId));
        Assert.All(taken, f => Assert.Equal(StreamEventType.Data, f.EventType));
        Assert.Equal(taken.Select(f => f.Sequence).Order(), taken.Select(f => f.Sequence));
        Assert.All(taken, f => Assert.InRange(f.Sequence, result.FirstSequence, result.LastSequence));
        Assert.Equal(taken.Count, taken.Select(f => f.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task Subscribe_ResumeAfterSequence_ReplaysThenContinuesLive()
    {
        var store = CreateStore();
        var events = RandomEvents.Events(new Random(21), 50);
        var result = await store.AppendAsync(events);
        var resumeAfter = result.FirstSequence + 29;

        await using var subscription = store.Subscribe(new EventQuery(), resumeAfter);
        var live = RandomEvents.Events(new Random(22), 5);
        await store.AppendAsync(live);
        await using var frames = subscription.GetAsyncEnumerator();
        var taken = await Take(frames, 25);

        Assert.Equal(events[30..].Concat(live).Select(e => e.EventId), taken.Select(f => f.Data!.EventId));
        Assert.Equal(resumeAfter + 1, taken[0].Sequence);
    }

    [Fact]
    public async Task Subscribe_ResumeBeyondReplayLimit_StartsWithGapThenReplaysTheRest()
    {
        var store = CreateStore(new EventStoreTestSettings { TimeProvider = Clock, ReplayLimit = 10 });
        var result = await store.AppendAsync(RandomEvents.Events(new Random(23), 30));

        await using var subscription = store.Subscribe(new EventQuery(), result.FirstSequence - 1);
        await using var frames = subscription.GetAsyncEnumerator();
        var taken = await Take(frames, 11);

        Assert.Equal(StreamEventType.Error, taken[0].EventType);
        Assert.Null(taken[0].Data);
        Assert.Equal(ProblemCodes.StreamGap, taken[0].Error!.Code);
        Assert.Equal(result.FirstSequence, taken[0].Error!.Details!.Context!["missed_from_sequence"].GetUInt64());
        Assert.Equal(result.LastSequence - 10, taken[0].Error!.Details!.Context!["missed_to_sequence"].GetUInt64());
        Assert.Equal(result.LastSequence - 9, taken[1].Sequence);
        Assert.Equal(result.LastSequence, taken[10].Sequence);
    }

    [Fact]
    public async Task Subscribe_SlowSubscriberOverflows_GetsGapFrameAndAppendsNeverWait()
    {
        var store = CreateStore(new EventStoreTestSettings { TimeProvider = Clock, SubscriberBufferSize = 4 });
        await using var subscription = store.Subscribe(new EventQuery());
        var events = RandomEvents.Events(new Random(24), 10);

        var result = await store.AppendAsync(events);
        await using var frames = subscription.GetAsyncEnumerator();
        var first = await Take(frames, 5);
        var later = RandomEvents.Events(new Random(25), 2);
        await store.AppendAsync(later);
        var after = await Take(frames, 2);

        Assert.Equal(events[..4].Select(e => e.EventId), first[..4].Select(f => f.Data!.EventId));
        var gap = first[4];
        Assert.Equal(StreamEventType.Error, gap.EventType);
        Assert.Null(gap.Data);
        Assert.Equal(ProblemCodes.StreamGap, gap.Error!.Code);
        Assert.Equal(result.FirstSequence + 4, gap.Error.Details!.Context!["missed_from_sequence"].GetUInt64());
        Assert.Equal(result.LastSequence, gap.Error.Details.Context["missed_to_sequence"].GetUInt64());
        Assert.Equal(6, gap.Error.Details.Context["missed_events"].GetInt64());
        Assert.Equal(first[3].Sequence, gap.Sequence);
        Assert.Equal(later.Select(e => e.EventId), after.Select(f => f.Data!.EventId));
    }

    [Fact]
    public async Task Subscribe_GapFrameSequence_ResumesToReplayTheMissedRange()
    {
        var store = CreateStore(new EventStoreTestSettings { TimeProvider = Clock, SubscriberBufferSize = 3 });
        var events = RandomEvents.Events(new Random(26), 8);
        StreamEvent<AnalyticsEvent> gap;
        await using (var slow = store.Subscribe(new EventQuery()))
        {
            await store.AppendAsync(events);
            await using var frames = slow.GetAsyncEnumerator();
            gap = (await Take(frames, 4))[3];
        }

        await using var resumed = store.Subscribe(new EventQuery(), gap.Sequence);
        await using var replay = resumed.GetAsyncEnumerator();
        var taken = await Take(replay, 5);

        Assert.Equal(events[3..].Select(e => e.EventId), taken.Select(f => f.Data!.EventId));
    }

    [Fact]
    public async Task Subscribe_Heartbeat_ArrivesOnTheFakeClockWithNullData()
    {
        var store = CreateStore(new EventStoreTestSettings { TimeProvider = Clock, HeartbeatInterval = TimeSpan.FromSeconds(15) });
        await using var subscription = store.Subscribe(new EventQuery());
        await using var frames = subscription.GetAsyncEnumerator();

        var next = frames.MoveNextAsync();
        Assert.False(next.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(15));

        Assert.True(await next.AsTask().WaitAsync(Wait));
        Assert.Equal(StreamEventType.Heartbeat, frames.Current.EventType);
        Assert.Null(frames.Current.Data);
        Assert.Equal(Clock.GetUtcNow(), frames.Current.Timestamp);
    }

    [Fact]
    public async Task Subscribe_Canceled_EndsTheEnumeration()
    {
        var store = CreateStore();
        await using var subscription = store.Subscribe(new EventQuery());
        using var cts = new CancellationTokenSource();
        var frames = subscription.GetAsyncEnumerator(cts.Token);

        var next = frames.MoveNextAsync();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next.AsTask().WaitAsync(Wait));
        await frames.DisposeAsync();
        await store.AppendAsync(RandomEvents.Events(new Random(27), 3));
    }

    [Fact]
    public async Task Subscribe_HundredSubscribers_EachGetsItsMatchesInOrder()
    {
        var store = CreateStore();
        var subscriptions = Enumerable.Range(0, 100)
            .Select(i => store.Subscribe(new EventQuery { SourceModules = [(SourceModule)(i % 7)], MinSeverity = (Severity)(i % 5) }))
            .ToList();
        var events = RandomEvents.Events(new Random(28), 300);

        await store.AppendAsync(events);

        var reads = subscriptions.Select(async (subscription, i) =>
        {
            var expected = events.Where(e => e.SourceModule == (SourceModule)(i % 7) && e.Severity >= (Severity)(i % 5)).Select(e => e.EventId).ToList();
            await using var frames = subscription.GetAsyncEnumerator();
            var taken = await Take(frames, expected.Count);
            Assert.Equal(expected, taken.Select(f => f.Data!.EventId));
        });
        await Task.WhenAll(reads);
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    [Fact]
    public void Subscribe_InvalidFilter_ThrowsValidationError()
    {
        var store = CreateStore();

        var error = Assert.Throws<InvalidQueryException>(() => store.Subscribe(new EventQuery { SourceModules = [] }));

        Assert.True(ApiError.FromProblems(error.Problems).FieldErrors!.ContainsKey("source_modules"));
    }
}
